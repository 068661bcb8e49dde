namespace BackupPanel.Core.Destinations.Kinds.Sftp;

/// <summary>The SFTP form: a server, a password and/or a private key, the host key to pin, a folder.</summary>
public sealed class SftpInput : ServerInput
{
    public override string Kind => SftpKind.KindName;

    public string? PrivateKey { get; set; }

    public string? Passphrase { get; set; }

    public string? HostKeySha256 { get; set; }

    public bool HasPrivateKey { get; set; }

    public override void ForgetSecrets()
    {
        base.ForgetSecrets();
        PrivateKey = Passphrase = null;
    }

    internal void Validate(SftpDestinationSettings? stored, IDictionary<string, string> errors)
    {
        ValidateServer(22, errors);
        var hasPassword = !string.IsNullOrEmpty(Password) || stored?.PasswordSecret is not null;
        var hasKey = !string.IsNullOrWhiteSpace(PrivateKey) || stored?.PrivateKeySecret is not null;
        if (!hasPassword && !hasKey)
        {
            errors[nameof(Password)] = "Enter a password or a private key.";
        }

        if (PrivateKey is { Length: > 0 } key && (key.Length > 32_768 || !key.Contains("PRIVATE KEY-----", StringComparison.Ordinal)))
        {
            errors[nameof(PrivateKey)] = "Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to its END line (OpenSSH or PEM).";
        }

        if (HostKeySha256 is { Length: > 0 } fingerprint)
        {
            HostKeySha256 = Storage.Sftp.SftpSettings.NormalizeFingerprint(fingerprint);
            if (!SftpKind.HostKeyPattern().IsMatch(HostKeySha256))
            {
                errors[nameof(HostKeySha256)] = "A host key fingerprint looks like SHA256: followed by 43 letters, digits, + or /.";
            }
        }
        else
        {
            HostKeySha256 = null;
        }
    }
}
