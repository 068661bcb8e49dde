using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BackupPanel.Core.Storage.S3;

/// <summary>Uploads: one PUT for small objects, multipart for the rest, with the destination's storage options.</summary>
public sealed partial class S3StorageBackend
{
    /// <summary>The first parts' size; it doubles every 1,000 parts, so 10,000 parts reach S3's 5 TB object limit.</summary>
    internal const int FirstPartSize = 8 << 20;

    private async Task UploadAsync(string objectKey, Stream content, CancellationToken ct)
    {
        var key = objectKey[_prefix.Length..];
        var first = await ReadPartAsync(content, FirstPartSize, ct).ConfigureAwait(false);
        if (first.Length < FirstPartSize)
        {
            var put = new PutObjectRequest { BucketName = _settings.Bucket, Key = objectKey, InputStream = first, UseChunkEncoding = false, AutoCloseStream = true };
            ApplyOptions(put);
            await CallAsync(() => _client.PutObjectAsync(put, ct), key).ConfigureAwait(false);
            return;
        }

        var start = new InitiateMultipartUploadRequest { BucketName = _settings.Bucket, Key = objectKey };
        ApplyOptions(start);
        var uploadId = (await CallAsync(() => _client.InitiateMultipartUploadAsync(start, ct), key).ConfigureAwait(false)).UploadId;
        try
        {
            var parts = await UploadPartsAsync(objectKey, uploadId, first, content, ct).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = _settings.Bucket, Key = objectKey, UploadId = uploadId, PartETags = parts };
            await CallAsync(() => _client.CompleteMultipartUploadAsync(complete, ct), key).ConfigureAwait(false);
        }
        catch
        {
            // Nothing appears under the key until completion; aborting frees the parts (best effort: a lifecycle rule
            // for incomplete uploads catches what a dead connection leaves, see docs/DESTINATIONS.md).
            try
            {
                await _client.AbortMultipartUploadAsync(_settings.Bucket, objectKey, uploadId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
            {
                // The service may be what failed; the upload stays invisible either way.
            }

            throw;
        }
    }

    private async Task<List<PartETag>> UploadPartsAsync(string objectKey, string uploadId, MemoryStream first, Stream content, CancellationToken ct)
    {
        // Two parts in memory at most: the one uploading and the one being read.
        var parts = new List<PartETag>();
        var part = first;
        for (var number = 1; part.Length > 0; number++)
        {
            var request = new UploadPartRequest
            {
                BucketName = _settings.Bucket, Key = objectKey, UploadId = uploadId, PartNumber = number, InputStream = part,
                PartSize = part.Length, UseChunkEncoding = false,
            };
            var uploading = CallAsync(() => _client.UploadPartAsync(request, ct), objectKey[_prefix.Length..]);
            MemoryStream next;
            try
            {
                next = await ReadPartAsync(content, FirstPartSize << Math.Min(number / 1000, 5), ct).ConfigureAwait(false);
            }
            finally
            {
                var uploaded = await uploading.ConfigureAwait(false);
                parts.Add(new PartETag(number, uploaded.ETag));
                await part.DisposeAsync().ConfigureAwait(false);
            }

            part = next;
        }

        return parts;
    }

    private static async Task<MemoryStream> ReadPartAsync(Stream content, int size, CancellationToken ct)
    {
        var buffer = new byte[size];
        var filled = 0;
        try
        {
            int read;
            while (filled < size && (read = await content.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new SourceFailedException(ex);
        }

        return new MemoryStream(buffer, 0, filled, writable: false, publiclyVisible: true);
    }

    private void ApplyOptions(PutObjectRequest put)
    {
        put.StorageClass = _settings.StorageClass is { Length: > 0 } sc ? new S3StorageClass(sc) : null;
        put.ServerSideEncryptionMethod = _settings.ServerSideEncryption is { Length: > 0 } sse ? new ServerSideEncryptionMethod(sse) : null;
        put.ServerSideEncryptionKeyManagementServiceKeyId = _settings.KmsKeyId is { Length: > 0 } kms ? kms : null;
        if (_settings.ObjectLockMode != S3ObjectLockMode.None)
        {
            put.ObjectLockMode = _settings.ObjectLockMode == S3ObjectLockMode.Compliance ? ObjectLockMode.Compliance : ObjectLockMode.Governance;
            put.ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(_settings.ObjectLockDays);
            put.ChecksumAlgorithm = ChecksumAlgorithm.SHA256; // AWS requires a checksum on PUTs that set retention
        }
    }

    private void ApplyOptions(InitiateMultipartUploadRequest start)
    {
        start.StorageClass = _settings.StorageClass is { Length: > 0 } sc ? new S3StorageClass(sc) : null;
        start.ServerSideEncryptionMethod = _settings.ServerSideEncryption is { Length: > 0 } sse ? new ServerSideEncryptionMethod(sse) : null;
        start.ServerSideEncryptionKeyManagementServiceKeyId = _settings.KmsKeyId is { Length: > 0 } kms ? kms : null;
        if (_settings.ObjectLockMode != S3ObjectLockMode.None)
        {
            start.ObjectLockMode = _settings.ObjectLockMode == S3ObjectLockMode.Compliance ? ObjectLockMode.Compliance : ObjectLockMode.Governance;
            start.ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(_settings.ObjectLockDays);
        }
    }
}
