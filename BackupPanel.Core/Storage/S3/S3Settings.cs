namespace BackupPanel.Core.Storage.S3;

/// <summary>Object Lock retention modes (S3's own names).</summary>
public enum S3ObjectLockMode
{
    /// <summary>No retention set by the panel (the bucket's default, if any, still applies).</summary>
    None,

    /// <summary>Users with a special permission can still delete or shorten it.</summary>
    Governance,

    /// <summary>Nobody can delete the object before the date, not even the account's root user.</summary>
    Compliance,
}

/// <summary>
/// How to reach a bucket on AWS S3 or an S3-compatible service (MinIO, Backblaze B2, Wasabi, Ceph…). Credentials are
/// explicit unless <see cref="UseEnvironmentCredentials"/> is chosen (then the SDK's chain: environment, profile,
/// instance role). <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed record S3Settings
{
    public required string Bucket { get; init; }

    /// <summary>A key prefix inside the bucket ("" or "backups/panel1").</summary>
    public string Prefix { get; init; } = "";

    /// <summary>The endpoint of an S3-compatible service (https://s3.example.com); null for AWS itself.</summary>
    public string? ServiceUrl { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Bucket in the path (https://host/bucket/key) rather than the host name; most S3-compatible services need it.</summary>
    public bool PathStyle { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public bool UseEnvironmentCredentials { get; init; }

    /// <summary>STANDARD, STANDARD_IA, GLACIER_IR, … ; null for the bucket's default.</summary>
    public string? StorageClass { get; init; }

    /// <summary>Server-side encryption: null (bucket default), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS).</summary>
    public string? ServerSideEncryption { get; init; }

    /// <summary>The KMS key for SSE-KMS; null for the account's default key.</summary>
    public string? KmsKeyId { get; init; }

    public S3ObjectLockMode ObjectLockMode { get; init; }

    /// <summary>Days each object stays locked (with <see cref="ObjectLockMode"/>); the bucket must have Object Lock on.</summary>
    public int ObjectLockDays { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"s3://{Bucket}/{Prefix.Trim('/')}" + (ServiceUrl is null ? $" ({Region})" : $" at {ServiceUrl}");
}
