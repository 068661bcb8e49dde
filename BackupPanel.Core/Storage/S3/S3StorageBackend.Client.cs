using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace BackupPanel.Core.Storage.S3;

/// <summary>The SDK client as configured, and the one place SDK errors become <see cref="StorageException"/>s.</summary>
public sealed partial class S3StorageBackend
{
    private static AmazonS3Client CreateClient(S3Settings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.PathStyle,
            Timeout = settings.Timeout,
            // Every copy is proven by reading it back (size + SHA-256), so the SDK's optional CRC trailers are left off:
            // they need aws-chunked bodies that several S3-compatible servers store verbatim (s3rver 3.7 does).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2, // quick retries of a blip; the panel's retry decorator handles outages
        };
        if (settings.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        if (settings.UseEnvironmentCredentials)
        {
            return new AmazonS3Client(config);
        }

        if (string.IsNullOrEmpty(settings.AccessKeyId) || string.IsNullOrEmpty(settings.SecretAccessKey))
        {
            throw new StorageException(StorageErrorKind.Permanent, "Enter the access key ID and secret access key (or choose environment credentials).");
        }

        return new AmazonS3Client(new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey), config);
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string key)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
            or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            throw Classify(ex, key);
        }
    }

    private StorageException Classify(Exception ex, string key)
    {
        var bucket = _settings.Bucket;
        return ex switch
        {
            AmazonS3Exception { ErrorCode: "NoSuchBucket" } => new(StorageErrorKind.Permanent, $"The bucket '{bucket}' does not exist (check its name and region).", ex),
            AmazonS3Exception { ErrorCode: "NoSuchKey" } or AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } =>
                new(StorageErrorKind.NotFound, $"'{key}' does not exist.", ex),
            AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" } =>
                new(StorageErrorKind.Permanent, "The S3 service refused the credentials: check the access key ID and secret access key.", ex),
            AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } =>
                new(StorageErrorKind.Permanent, $"The S3 service denied access to '{key}' in bucket '{bucket}' (check the key's permissions; docs/DESTINATIONS.md lists them).", ex),
            AmazonS3Exception { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" } or AmazonS3Exception { StatusCode: >= HttpStatusCode.InternalServerError } =>
                new(StorageErrorKind.Transient, $"The S3 service is busy or failing ({((AmazonS3Exception)ex).ErrorCode}); try again.", ex),
            AmazonS3Exception s3 => new(StorageErrorKind.Permanent, $"The S3 service refused the request on '{key}': {s3.ErrorCode} {s3.Message}", ex),
            AmazonClientException when ex.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
                new(StorageErrorKind.Permanent, "No S3 credentials were found in the environment.", ex),
            _ => new(StorageErrorKind.Transient, $"Could not reach the S3 service ({_settings.ServiceUrl ?? _settings.Region}): {Innermost(ex).Message}", ex),
        };
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
