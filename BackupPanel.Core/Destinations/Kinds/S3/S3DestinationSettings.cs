namespace BackupPanel.Core.Destinations.Kinds.S3;

/// <summary>A bucket on AWS S3 or an S3-compatible service; the secret access key is a ciphertext.</summary>
public sealed record S3DestinationSettings : DestinationSettings
{
    public override string Kind => S3Kind.KindName;

    public required string Bucket { get; init; }

    /// <summary>The key prefix in the bucket ("" = the bucket's top).</summary>
    public string Path { get; init; } = "";

    public string Region { get; init; } = "us-east-1";

    /// <summary>S3-compatible endpoint; null for AWS.</summary>
    public string? ServiceUrl { get; init; }

    public bool PathStyle { get; init; }

    /// <summary>The machine's credentials (environment, AWS profile, instance role) instead of a key.</summary>
    public bool UseEnvironmentCredentials { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKeySecret { get; init; }

    public string? StorageClass { get; init; }

    /// <summary>null, "AES256" or "aws:kms".</summary>
    public string? ServerSideEncryption { get; init; }

    public string? KmsKeyId { get; init; }

    /// <summary>null (none), "Governance" or "Compliance".</summary>
    public string? ObjectLockMode { get; init; }

    public int? ObjectLockDays { get; init; }

    public override string? Endpoint => $"{AccessKeyId}@{ServiceUrl ?? Region}";

    public override string Where => $"s3://{Bucket}/{Path.Trim('/')}" + (ServiceUrl is { Length: > 0 } url ? $" at {url}" : $" ({Region})");
}
