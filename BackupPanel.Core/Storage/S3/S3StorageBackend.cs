using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace BackupPanel.Core.Storage.S3;

/// <summary>
/// Objects in an S3 bucket (AWSSDK.S3 v4), on AWS or any S3-compatible service. Small objects are one PUT; larger ones
/// a multipart upload read part by part (memory stays at a few parts, never the whole object), completed atomically or
/// aborted. The client, uploads and error wording are in S3StorageBackend.Client.cs and S3StorageBackend.Upload.cs.
/// </summary>
public sealed partial class S3StorageBackend : IStorageBackend
{
    private readonly S3Settings _settings;
    private readonly string _prefix;
    private readonly AmazonS3Client _client;
    private bool _bucketSeen;

    /// <summary>Creates a backend; nothing is sent until the first call.</summary>
    public S3StorageBackend(S3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _prefix = RemotePath.NormalizeRoot(settings.Prefix).Trim('/') is { Length: > 0 } p ? p + "/" : "";
        _client = CreateClient(settings);
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            await UploadAsync(ObjectKey(key), content, ct).ConfigureAwait(false);
        }
        catch (SourceFailedException ex)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, Storage.ByteRange? range, CancellationToken ct)
    {
        var request = new GetObjectRequest { BucketName = _settings.Bucket, Key = ObjectKey(key) };
        if (range is { } r)
        {
            if (r.Length <= 0 || r.Offset >= ((await StatAsync(key, ct).ConfigureAwait(false))?.Size ?? throw Missing(key)))
            {
                return new MemoryStream([], writable: false);
            }

            request.ByteRange = new Amazon.S3.Model.ByteRange(r.Offset, r.Offset + r.Length - 1);
        }

        var response = await CallAsync(() => _client.GetObjectAsync(request, ct), key).ConfigureAwait(false);
        return new ResponseStream(response);
    }

    /// <inheritdoc />
    public async Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        try
        {
            var meta = await CallAsync(() => _client.GetObjectMetadataAsync(_settings.Bucket, objectKey, ct), key).ConfigureAwait(false);
            return new StorageObjectInfo(key, meta.ContentLength, meta.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.UnixEpoch);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            // A HEAD answer has no body, so a missing bucket looks like a missing key: tell them apart once.
            await RequireBucketAsync(ct).ConfigureAwait(false);
            return null;
        }
    }

    private async Task RequireBucketAsync(CancellationToken ct)
    {
        if (_bucketSeen)
        {
            return;
        }

        try
        {
            await CallAsync(() => _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _settings.Bucket }, ct), "").ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"The bucket '{_settings.Bucket}' does not exist (check its name and region).", ex.InnerException);
        }

        _bucketSeen = true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = _prefix + prefix };
        do
        {
            var page = await CallAsync(() => _client.ListObjectsV2Async(request, ct), prefix).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? []) // v4: null, not empty, when nothing matches
            {
                var key = item.Key[_prefix.Length..];
                if (key.Length > 0 && !key.EndsWith('/'))
                {
                    yield return new StorageObjectInfo(key, item.Size ?? 0, item.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.UnixEpoch);
                }
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        try
        {
            await CallAsync(() => _client.DeleteObjectAsync(_settings.Bucket, objectKey, ct), key).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            // Deleting what is gone already is success (some S3-compatible services answer 404).
        }
    }

    /// <inheritdoc />
    public Task<StorageTestResult> TestAsync(CancellationToken ct) => StorageProbe.RunAsync(this, ct);

    /// <summary>
    /// A link that downloads the object without credentials until <paramref name="validFor"/> has passed (for Admins;
    /// the caller audits it). Signed locally: nothing is sent to the service.
    /// </summary>
    public Task<string> PresignDownloadAsync(string key, TimeSpan validFor)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _settings.Bucket, Key = ObjectKey(key), Verb = HttpVerb.GET, Expires = DateTime.UtcNow.Add(validFor),
            Protocol = _settings.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        return _client.GetPreSignedURLAsync(request);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => _settings.ToString();

    private string ObjectKey(string key) => _prefix + StorageKey.Validate(key);

    private static StorageException Missing(string key) => new(StorageErrorKind.NotFound, $"'{key}' does not exist.");

    /// <summary>The body of a GetObject answer; disposing it disposes the answer (and its connection).</summary>
    private sealed class ResponseStream(GetObjectResponse response) : ReadOnlyStream(response.ResponseStream)
    {
        public override long Length => response.ContentLength;

        protected override void OnClose(bool leaveInnerOpen)
        {
            base.OnClose(leaveInnerOpen);
            response.Dispose();
        }
    }
}
