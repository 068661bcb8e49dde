using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.S3;

namespace BackupPanel.Core.Destinations.Kinds.S3;

/// <summary>A bucket on AWS S3 or an S3-compatible service (Backblaze B2, MinIO, Wasabi, …).</summary>
public sealed class S3Kind : DestinationKind<S3DestinationSettings, S3Input>
{
    /// <summary>The name stored in the destination's row.</summary>
    public const string KindName = "S3";

    /// <summary>Storage classes S3 knows; S3-compatible services accept STANDARD at least.</summary>
    public static readonly IReadOnlyList<string> StorageClasses = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "REDUCED_REDUNDANCY"];

    public override string Name => KindName;

    public override string DisplayName => "S3";

    public override string Description => "S3 or S3-compatible";

    public override IReadOnlyList<string> Schemes => ["s3"];

    protected override S3Input InputFrom(S3DestinationSettings stored) => new()
    {
        Bucket = stored.Bucket, Region = stored.Region, ServiceUrl = stored.ServiceUrl, Path = stored.Path, PathStyle = stored.PathStyle,
        UseEnvironmentCredentials = stored.UseEnvironmentCredentials, AccessKeyId = stored.AccessKeyId ?? "", StorageClass = stored.StorageClass,
        ServerSideEncryption = stored.ServerSideEncryption, KmsKeyId = stored.KmsKeyId, ObjectLockMode = stored.ObjectLockMode ?? "None",
        ObjectLockDays = stored.ObjectLockDays, HasSecretAccessKey = stored.SecretAccessKeySecret is not null,
    };

    protected override S3DestinationSettings? Validate(S3Input input, S3DestinationSettings? stored, Func<string, string> protect, IDictionary<string, string> errors)
    {
        var before = errors.Count;
        input.Validate(stored, errors);
        if (errors.Count > before)
        {
            return null;
        }

        var accessKeyId = input.UseEnvironmentCredentials ? null : input.AccessKeyId;
        var sse = input.ServerSideEncryption is { Length: > 0 } s ? s : null;
        var lockMode = input.ObjectLockMode != "None" ? input.ObjectLockMode : null;
        return new S3DestinationSettings
        {
            Bucket = input.Bucket, Region = input.Region, ServiceUrl = input.ServiceUrl, Path = input.Path, PathStyle = input.PathStyle,
            UseEnvironmentCredentials = input.UseEnvironmentCredentials, AccessKeyId = accessKeyId,
            SecretAccessKeySecret = accessKeyId is not null ? Keep(input.SecretAccessKey?.Trim(), stored?.SecretAccessKeySecret, protect) : null,
            StorageClass = input.StorageClass is { Length: > 0 } sc ? sc : null, ServerSideEncryption = sse,
            KmsKeyId = sse == "aws:kms" && input.KmsKeyId is { Length: > 0 } kms ? kms.Trim() : null,
            ObjectLockMode = lockMode, ObjectLockDays = lockMode is null ? null : input.ObjectLockDays,
        };
    }

    protected override IStorageBackend Open(S3DestinationSettings settings, DestinationOpening opening) => new S3StorageBackend(new S3Settings
    {
        Bucket = settings.Bucket, Prefix = settings.Path, ServiceUrl = settings.ServiceUrl, Region = settings.Region, PathStyle = settings.PathStyle,
        UseEnvironmentCredentials = settings.UseEnvironmentCredentials, AccessKeyId = settings.AccessKeyId,
        SecretAccessKey = opening.Reveal(settings.SecretAccessKeySecret), StorageClass = settings.StorageClass,
        ServerSideEncryption = settings.ServerSideEncryption, KmsKeyId = settings.KmsKeyId,
        ObjectLockMode = Enum.TryParse<S3ObjectLockMode>(settings.ObjectLockMode, out var mode) ? mode : S3ObjectLockMode.None,
        ObjectLockDays = settings.ObjectLockDays ?? 0,
    });

    public override IStorageBackend OpenUrl(Uri url, UrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var endpoint = query["endpoint"];
        var accessKey = options.Environment("AWS_ACCESS_KEY_ID");
        var secret = options.Environment("AWS_SECRET_ACCESS_KEY");
        return new S3StorageBackend(new S3Settings
        {
            Bucket = url.Host, Prefix = DestinationUrls.Unescape(url.AbsolutePath).Trim('/'), ServiceUrl = endpoint, Region = query["region"] ?? "us-east-1",
            PathStyle = query["path-style"] is { } p ? bool.Parse(p) : endpoint is not null,
            AccessKeyId = accessKey, SecretAccessKey = secret, UseEnvironmentCredentials = accessKey is null || secret is null,
        });
    }
}
