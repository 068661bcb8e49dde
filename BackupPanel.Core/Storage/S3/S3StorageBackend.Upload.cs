using System.Buffers;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BackupPanel.Core.Storage.S3;

/// <summary>Uploads: one PUT for small objects, multipart for the rest, with the destination's storage options.</summary>
public sealed partial class S3StorageBackend
{
    /// <summary>The first parts' size; it doubles every 1,000 parts, so 10,000 parts reach S3's 5 TB object limit.</summary>
    internal const int FirstPartSize = 8 << 20;

    /// <summary>Parts sent at once while the next is read: enough to fill a link to S3, in bounded memory.</summary>
    internal const int PartsInFlight = 3;

    private async Task UploadAsync(string objectKey, Stream content, CancellationToken ct)
    {
        var key = objectKey[_prefix.Length..];
        var first = await Part.ReadAsync(content, FirstPartSize, ct).ConfigureAwait(false);
        if (first.Length < FirstPartSize)
        {
            using (first)
            {
                var put = new PutObjectRequest { BucketName = _settings.Bucket, Key = objectKey, InputStream = first.Open(), UseChunkEncoding = false, AutoCloseStream = true };
                ApplyOptions(put);
                await CallAsync(() => _client.PutObjectAsync(put, ct), key).ConfigureAwait(false);
                return;
            }
        }

        var start = new InitiateMultipartUploadRequest { BucketName = _settings.Bucket, Key = objectKey };
        ApplyOptions(start);
        string uploadId;
        try
        {
            uploadId = (await CallAsync(() => _client.InitiateMultipartUploadAsync(start, ct), key).ConfigureAwait(false)).UploadId;
        }
        catch
        {
            first.Dispose();
            throw;
        }

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

    /// <summary>Sends <paramref name="first"/> and the rest of the content as parts, up to <see cref="PartsInFlight"/> at once.</summary>
    private async Task<List<PartETag>> UploadPartsAsync(string objectKey, string uploadId, Part first, Stream content, CancellationToken ct)
    {
        var sent = new List<PartETag>();
        var inFlight = new Queue<Task<PartETag>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var part = first;
            for (var number = 1; part.Length > 0; number++)
            {
                inFlight.Enqueue(UploadPartAsync(objectKey, uploadId, number, part, stop.Token));
                if (inFlight.Count == PartsInFlight)
                {
                    sent.Add(await inFlight.Dequeue().ConfigureAwait(false));
                }

                part = await Part.ReadAsync(content, FirstPartSize << Math.Min(number / 1000, 5), ct).ConfigureAwait(false);
            }

            part.Dispose();
            while (inFlight.Count > 0)
            {
                sent.Add(await inFlight.Dequeue().ConfigureAwait(false));
            }

            return sent;
        }
        catch
        {
            // Every part's buffer goes back to the pool only once its request has ended.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(inFlight).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<PartETag> UploadPartAsync(string objectKey, string uploadId, int number, Part part, CancellationToken ct)
    {
        using (part)
        {
            var request = new UploadPartRequest
            {
                BucketName = _settings.Bucket, Key = objectKey, UploadId = uploadId, PartNumber = number, InputStream = part.Open(),
                PartSize = part.Length, UseChunkEncoding = false,
            };
            var uploaded = await CallAsync(() => _client.UploadPartAsync(request, ct), objectKey[_prefix.Length..]).ConfigureAwait(false);
            return new PartETag(number, uploaded.ETag);
        }
    }

    /// <summary>One part's bytes, in a pooled buffer that goes back once the part is sent.</summary>
    private sealed class Part : IDisposable
    {
        private byte[]? _buffer;

        private Part(byte[] buffer, int length)
        {
            _buffer = buffer;
            Length = length;
        }

        public int Length { get; }

        public MemoryStream Open() => new(_buffer ?? throw new ObjectDisposedException(nameof(Part)), 0, Length, writable: false, publiclyVisible: true);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public static async Task<Part> ReadAsync(Stream content, int size, CancellationToken ct)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            var filled = 0;
            try
            {
                int read;
                while (filled < size && (read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), ct).ConfigureAwait(false)) > 0)
                {
                    ct.ThrowIfCancellationRequested(); // even if the content ignores the token
                    filled += read;
                }
            }
            catch (Exception ex)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                if (ex is OperationCanceledException)
                {
                    throw;
                }

                throw new SourceFailedException(ex);
            }

            return new Part(buffer, filled);
        }
    }

    private void ApplyOptions(PutObjectRequest put)
    {
        var o = Options();
        (put.StorageClass, put.ServerSideEncryptionMethod, put.ServerSideEncryptionKeyManagementServiceKeyId) = (o.Class, o.Encryption, o.KmsKeyId);
        if (o.Lock is { } mode)
        {
            (put.ObjectLockMode, put.ObjectLockRetainUntilDate) = (mode, o.RetainUntil);
            put.ChecksumAlgorithm = ChecksumAlgorithm.SHA256; // AWS requires a checksum on PUTs that set retention
        }
    }

    private void ApplyOptions(InitiateMultipartUploadRequest start)
    {
        var o = Options();
        (start.StorageClass, start.ServerSideEncryptionMethod, start.ServerSideEncryptionKeyManagementServiceKeyId) = (o.Class, o.Encryption, o.KmsKeyId);
        if (o.Lock is { } mode)
        {
            (start.ObjectLockMode, start.ObjectLockRetainUntilDate) = (mode, o.RetainUntil);
        }
    }

    /// <summary>The destination's storage class, server-side encryption and Object Lock retention, for a new object.</summary>
    private (S3StorageClass? Class, ServerSideEncryptionMethod? Encryption, string? KmsKeyId, ObjectLockMode? Lock, DateTime RetainUntil) Options() => (
        _settings.StorageClass is { Length: > 0 } sc ? new S3StorageClass(sc) : null,
        _settings.ServerSideEncryption is { Length: > 0 } sse ? new ServerSideEncryptionMethod(sse) : null,
        _settings.KmsKeyId is { Length: > 0 } kms ? kms : null,
        _settings.ObjectLockMode switch
        {
            S3ObjectLockMode.Compliance => ObjectLockMode.Compliance,
            S3ObjectLockMode.Governance => ObjectLockMode.Governance,
            _ => null,
        },
        DateTime.UtcNow.AddDays(_settings.ObjectLockDays));
}
