namespace BackupPanel.Core.Destinations;

/// <summary>Kinds of destination, all behind the one storage contract.</summary>
public enum DestinationKind
{
    /// <summary>A folder on this machine (or a mounted disk).</summary>
    Local,

    /// <summary>A folder on an SSH server, over SFTP.</summary>
    Sftp,

    /// <summary>A folder on an FTP server, plain or with explicit TLS (FTPS).</summary>
    Ftp,

    /// <summary>A bucket on AWS S3 or an S3-compatible service.</summary>
    S3,
}

/// <summary>
/// Where copies of backups go: a kind and its settings. Columns ending in <c>Secret</c> hold Data Protection
/// ciphertexts (never the secret itself); settings a kind does not use stay empty.
/// </summary>
public sealed class Destination
{
    public Guid Id { get; set; }

    /// <summary>A name people recognize ("NAS", "Offsite S3"); unique.</summary>
    public string Name { get; set; } = "";

    public DestinationKind Kind { get; set; }

    /// <summary>Local: the absolute folder. SFTP/FTP: the remote folder ("" = the login folder). S3: the key prefix.</summary>
    public string Path { get; set; } = "";

    /// <summary>SFTP/FTP server name or address.</summary>
    public string? Host { get; set; }

    public int? Port { get; set; }

    /// <summary>SFTP/FTP login name.</summary>
    public string? UserName { get; set; }

    /// <summary>SFTP: the confirmed host key ("SHA256:…").</summary>
    public string? HostKeySha256 { get; set; }

    /// <summary>FTP: AUTH TLS (explicit FTPS).</summary>
    public bool ExplicitTls { get; set; }

    /// <summary>FTPS: the pinned certificate's SHA-256 ("AB:CD:…"), for self-signed servers.</summary>
    public string? CertificateSha256 { get; set; }

    public string? Bucket { get; set; }

    public string? Region { get; set; }

    /// <summary>S3-compatible endpoint; null for AWS.</summary>
    public string? ServiceUrl { get; set; }

    public bool PathStyle { get; set; }

    public bool UseEnvironmentCredentials { get; set; }

    public string? AccessKeyId { get; set; }

    public string? StorageClass { get; set; }

    /// <summary>null, "AES256" or "aws:kms".</summary>
    public string? ServerSideEncryption { get; set; }

    public string? KmsKeyId { get; set; }

    /// <summary>None, Governance or Compliance.</summary>
    public string? ObjectLockMode { get; set; }

    public int? ObjectLockDays { get; set; }

    /// <summary>SFTP/FTP password (ciphertext).</summary>
    public string? PasswordSecret { get; set; }

    /// <summary>SFTP private key text (ciphertext).</summary>
    public string? PrivateKeySecret { get; set; }

    /// <summary>SFTP private key passphrase (ciphertext).</summary>
    public string? PassphraseSecret { get; set; }

    /// <summary>S3 secret access key (ciphertext).</summary>
    public string? SecretAccessKeySecret { get; set; }

    public bool IsEnabled { get; set; } = true;

    /// <summary>Backups started without a choice go here.</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last "test connection": when, whether it worked, what it said, and how long it took.</summary>
    public DateTimeOffset? LastTestedAt { get; set; }

    public bool? LastTestSucceeded { get; set; }

    public string? LastTestMessage { get; set; }

    public int? LastTestMilliseconds { get; set; }

    /// <summary>Where it points, for people (no secret): a folder, an sftp:// or ftp(s):// address, or s3://bucket/prefix.</summary>
    public string Where => Kind switch
    {
        DestinationKind.Sftp => $"sftp://{UserName}@{Host}:{Port}/{Path.TrimStart('/')}",
        DestinationKind.Ftp => $"{(ExplicitTls ? "ftps" : "ftp")}://{UserName}@{Host}:{Port}/{Path.TrimStart('/')}",
        DestinationKind.S3 => $"s3://{Bucket}/{Path.Trim('/')}" + (ServiceUrl is { Length: > 0 } url ? $" at {url}" : $" ({Region})"),
        _ => Path,
    };

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"{Name} ({Kind} {Where})";
}
