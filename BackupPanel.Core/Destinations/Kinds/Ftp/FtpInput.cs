using BackupPanel.Core.Storage.Ftp;

namespace BackupPanel.Core.Destinations.Kinds.Ftp;

/// <summary>The FTP form: a server, a password, TLS (on by default) and the certificate to pin for a self-signed server.</summary>
public sealed class FtpInput : ServerInput
{
    public override string Kind => FtpKind.KindName;

    public bool ExplicitTls { get; set; } = true;

    public string? CertificateSha256 { get; set; }

    internal void Validate(FtpDestinationSettings? stored, IDictionary<string, string> errors)
    {
        ValidateServer(21, errors);
        if (string.IsNullOrEmpty(Password) && stored?.PasswordSecret is null)
        {
            errors[nameof(Password)] = "Enter the password.";
        }

        if (CertificateSha256 is { Length: > 0 } fingerprint)
        {
            CertificateSha256 = FtpSettings.NormalizeFingerprint(fingerprint);
            if (CertificateSha256.Length != 95)
            {
                errors[nameof(CertificateSha256)] = "A SHA-256 fingerprint has 64 hexadecimal digits (colons optional).";
            }
        }
        else
        {
            CertificateSha256 = null;
        }
    }
}
