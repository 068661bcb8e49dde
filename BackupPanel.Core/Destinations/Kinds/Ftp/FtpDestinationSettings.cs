namespace BackupPanel.Core.Destinations.Kinds.Ftp;

/// <summary>A folder on an FTP server, plain or with explicit TLS (FTPS); the password is a ciphertext.</summary>
public sealed record FtpDestinationSettings : DestinationSettings
{
    public override string Kind => FtpKind.KindName;

    public required string Host { get; init; }

    public int Port { get; init; } = 21;

    public required string UserName { get; init; }

    /// <summary>The folder under the login folder ("" = the login folder).</summary>
    public string Path { get; init; } = "";

    /// <summary>AUTH TLS (explicit FTPS).</summary>
    public bool ExplicitTls { get; init; }

    /// <summary>FTPS: the pinned certificate's SHA-256 ("AB:CD:…"), for a self-signed server.</summary>
    public string? CertificateSha256 { get; init; }

    public string? PasswordSecret { get; init; }

    public override string? Endpoint => $"{UserName}@{Host}:{Port}";

    public override string Where => $"{(ExplicitTls ? "ftps" : "ftp")}://{UserName}@{Host}:{Port}/{Path.TrimStart('/')}";
}
