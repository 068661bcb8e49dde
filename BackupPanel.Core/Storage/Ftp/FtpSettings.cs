using System.Security.Cryptography.X509Certificates;

namespace BackupPanel.Core.Storage.Ftp;

/// <summary>
/// How to reach an FTP server: plain FTP or explicit FTPS (AUTH TLS on the normal port). Implicit FTPS (port 990) is
/// not offered: .NET's FtpWebRequest cannot speak it. A self-signed server is trusted through a pinned certificate
/// fingerprint, never by accepting every certificate. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record FtpSettings
{
    public required string Host { get; init; }

    public int Port { get; init; } = 21;

    public required string User { get; init; }

    public string Password { get; init; } = "";

    /// <summary>Upgrade the connection with AUTH TLS (control and data channels encrypted).</summary>
    public bool ExplicitTls { get; init; } = true;

    /// <summary>SHA-256 of the server certificate ("AB:CD:…" or plain hex) to trust besides the system's CAs.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>The folder objects go under, relative to the login folder ("" for the login folder itself).</summary>
    public string Root { get; init; } = "";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"{(ExplicitTls ? "ftps" : "ftp")}://{User}@{Host}:{Port}/{Root.TrimStart('/')}";

    /// <summary>The SHA-256 fingerprint of a certificate as "AB:CD:…" (how browsers and openssl show it).</summary>
    public static string FingerprintOf(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return string.Join(':', certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).Chunk(2).Select(c => new string(c)));
    }

    /// <summary>A pasted fingerprint in the form <see cref="FingerprintOf"/> gives (colons, spaces and case ignored).</summary>
    public static string NormalizeFingerprint(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var hex = new string(fingerprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        return string.Join(':', hex.Chunk(2).Select(c => new string(c)));
    }
}
