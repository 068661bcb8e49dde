using System.Text.RegularExpressions;

namespace BackupPanel.Core.Destinations.Kinds.S3;

/// <summary>The S3 form: bucket, region, endpoint, a key (or the machine's credentials), storage class, encryption, Object Lock.</summary>
public sealed partial class S3Input : DestinationKindInput
{
    public override string Kind => S3Kind.KindName;

    public string Bucket { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    public string? ServiceUrl { get; set; }

    /// <summary>The prefix in the bucket.</summary>
    public string Path { get; set; } = "";

    public bool PathStyle { get; set; }

    public bool UseEnvironmentCredentials { get; set; }

    public string AccessKeyId { get; set; } = "";

    public string? SecretAccessKey { get; set; }

    public string? StorageClass { get; set; }

    public string? ServerSideEncryption { get; set; }

    public string? KmsKeyId { get; set; }

    public string ObjectLockMode { get; set; } = "None";

    public int? ObjectLockDays { get; set; }

    /// <summary>Whether a secret access key is stored (for "leave empty to keep").</summary>
    public bool HasSecretAccessKey { get; set; }

    public override void ForgetSecrets() => SecretAccessKey = null;

    internal void Validate(S3DestinationSettings? stored, IDictionary<string, string> errors)
    {
        Bucket = Bucket?.Trim() ?? "";
        Region = Region?.Trim() ?? "";
        AccessKeyId = AccessKeyId?.Trim() ?? "";
        ServiceUrl = string.IsNullOrWhiteSpace(ServiceUrl) ? null : ServiceUrl.Trim().TrimEnd('/');
        if (!BucketPattern().IsMatch(Bucket))
        {
            errors[nameof(Bucket)] = "Enter the bucket's name: 3 to 63 lower-case letters, digits, dots and hyphens.";
        }

        if (!RegionPattern().IsMatch(Region))
        {
            errors[nameof(Region)] = "Enter a region such as us-east-1 or eu-central-1.";
        }

        if (ServiceUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || url.Length > 2048))
        {
            errors[nameof(ServiceUrl)] = "Enter the service's address, such as https://s3.eu-central-003.backblazeb2.com (http or https, no query).";
        }

        if (!UseEnvironmentCredentials)
        {
            if (AccessKeyId.Length is 0 or > 128 || AccessKeyId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors[nameof(AccessKeyId)] = "Enter the access key ID.";
            }

            if (string.IsNullOrEmpty(SecretAccessKey) && stored?.SecretAccessKeySecret is null)
            {
                errors[nameof(SecretAccessKey)] = "Enter the secret access key.";
            }
        }

        ValidateStorageOptions(errors);
        Path = ServerInput.RemoteFolder(Path, errors);
    }

    private void ValidateStorageOptions(IDictionary<string, string> errors)
    {
        if (StorageClass is { Length: > 0 } storageClass && !S3Kind.StorageClasses.Contains(storageClass))
        {
            errors[nameof(StorageClass)] = "Choose one of the storage classes offered.";
        }

        if (ServerSideEncryption is { Length: > 0 } sse && sse is not ("AES256" or "aws:kms"))
        {
            errors[nameof(ServerSideEncryption)] = "Choose SSE-S3 (AES256) or SSE-KMS (aws:kms).";
        }

        if (ObjectLockMode is not ("None" or "Governance" or "Compliance"))
        {
            errors[nameof(ObjectLockMode)] = "Choose None, Governance or Compliance.";
        }
        else if (ObjectLockMode != "None" && ObjectLockDays is not (>= 1 and <= 36_500))
        {
            errors[nameof(ObjectLockDays)] = "Enter how many days each copy stays locked (1 to 36500).";
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^[a-z0-9-]{2,64}$")]
    private static partial Regex RegionPattern();
}
