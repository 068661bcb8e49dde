using System.Security.Cryptography;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Writes one backup folder. Each component runs as a pipeline of stages on their own threads, like
/// <c>tar | zstd | age &gt; file</c>: [producer] → [SHA-256 plain, zstd → age → XXH3-128 stored] → storage backend,
/// joined by bounded pipes so memory stays flat. The stored copy is read back
/// (<see cref="IStorageBackend.PutAndReadBackAsync"/>) and checked before it counts; <see cref="CommitAsync"/> writes
/// <c>manifest.json</c> last.
/// </summary>
public sealed class ArchiveWriter(IStorageBackend storage, string folderKey, ArchiveWriteOptions options)
{
    /// <summary>Streams one component. <paramref name="produce"/> writes the plain bytes and returns an entry count (or null).</summary>
    public async Task<ArchiveComponent> WriteComponentAsync(
        string kind, string? database, Func<Stream, CancellationToken, Task<long?>> produce, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(produce);
        var encrypted = options.Recipients.Count > 0;
        var name = ArchiveLayout.ComponentName(kind, database, encrypted);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long? entries = null;
        var encoded = new EncodeResult();
        Task<StoredCopy?> put;

        // Three threads, like the pipeline's processes: the producer (tar walk, dump), the encoder (plain SHA-256, zstd
        // feed, age, stored XXH3-128; zstd compresses on workers of its own) and the upload with its read-back.
        var plainStage = PipeStage.Start(async (output, token) => entries = await produce(output, token).ConfigureAwait(false), cts.Token);
        await using (plainStage.ConfigureAwait(false))
        {
            var storedStage = PipeStage.Start((output, token) => EncodeAsync(plainStage, output, encoded, progress, token), cts.Token);
            await using (storedStage.ConfigureAwait(false))
            {
                put = PutAsync(name, storedStage.Output, cts);
                await FirstFailureAsync(plainStage.Completion, storedStage.Completion, put).ConfigureAwait(false);
            }
        }

        // Without read-back the encoder's digest is the SHA-256; with it, the destination's proof gives the SHA-256 of
        // what it holds, once its size and XXH3-128 match what was sent.
        var storedSha256 = encoded.StoredDigest;
        if (await put.ConfigureAwait(false) is { } readBack)
        {
            if (readBack.Size != encoded.StoredSize || readBack.XxHash128 != encoded.StoredDigest)
            {
                throw new ArchiveCorruptException(name,
                    $"the stored copy does not match: {readBack.Size:N0} bytes read back with XXH3-128 {readBack.XxHash128[..12]}…, {encoded.StoredSize:N0} sent with {encoded.StoredDigest[..12]}…");
            }

            storedSha256 = readBack.Sha256;
        }

        return new ArchiveComponent
        {
            Name = name,
            Kind = kind,
            Database = database,
            StoredSize = encoded.StoredSize,
            StoredSha256 = storedSha256,
            PlainSize = encoded.PlainSize,
            PlainSha256 = encoded.PlainSha256,
            Entries = entries,
            Encryption = encrypted ? "age" : "none",
            Recipients = options.Recipients.Select(r => r.ToString()).ToArray(),
        };
    }

    /// <summary>Writes <c>manifest.sig</c> (with a <paramref name="signer"/>), then <c>manifest.json</c>: from now on the backup is complete.</summary>
    public async Task CommitAsync(ArchiveManifest manifest, CancellationToken ct, Age.AgeIdentity? signer = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var bytes = manifest.ToJson();
        if (signer is not null)
        {
            using var signature = new MemoryStream(ManifestSignature.Sign(bytes, signer), writable: false);
            await storage.PutAsync(folderKey + ManifestSignature.FileName, signature, ct).ConfigureAwait(false);
        }

        using var json = new MemoryStream(bytes, writable: false);
        await storage.PutAsync(folderKey + ArchiveManifest.FileName, json, ct).ConfigureAwait(false);
    }

    /// <summary>plain → SHA-256 and zstd (with its content checksum) → age → XXH3-128 (or SHA-256) → output, on the stage's thread.</summary>
    private Task EncodeAsync(PipeStage plain, Stream output, EncodeResult result, Action<long>? progress, CancellationToken ct)
    {
        using var plainHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // With read-back on, the destination's proof supplies the SHA-256 and the stored bytes only need XXH3-128 to be
        // compared with it end to end (measured: 0.23 s less CPU for a 1 GiB create); without it, SHA-256 here.
        using var stored = new HashingStream(output, leaveOpen: true, xxHash128: options.ReadBack);
        var sealing = options.Recipients.Count > 0 ? new AgeEncryptingStream(stored, options.Recipients, leaveOpen: true) : null;
        var zstd = new ZstdCompressionStream(sealing ?? (Stream)stored, options.CompressionLevel, options.CompressionWorkers);
        long plainSize = 0;
        foreach (var chunk in plain.ReadChunks())
        {
            ct.ThrowIfCancellationRequested();
            plainHash.AppendData(chunk.Span);
            zstd.Write(chunk.Span);
            plainSize += chunk.Length;
            progress?.Invoke(plainSize);
        }

        // Only a stage whose input ended cleanly closes the frame and the age stream: a failure leaves no valid end.
        zstd.Dispose();
        sealing?.Dispose();
        (result.PlainSize, result.PlainSha256) = (plainSize, Convert.ToHexStringLower(plainHash.GetHashAndReset()));
        (result.StoredSize, result.StoredDigest) = (stored.BytesTransferred, stored.DigestHex);
        return Task.CompletedTask;
    }

    /// <summary>Uploads; with read-back on (the default), returns what the destination proved it holds.</summary>
    private async Task<StoredCopy?> PutAsync(string name, Stream content, CancellationTokenSource cts)
    {
        try
        {
            if (options.ReadBack)
            {
                return await storage.PutAndReadBackAsync(folderKey + name, content, cts.Token).ConfigureAwait(false);
            }

            await storage.PutAsync(folderKey + name, content, cts.Token).ConfigureAwait(false);
            return null;
        }
        catch
        {
            // The stages feeding a failed upload have nobody to write to.
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits for all; rethrows the earliest stage's own failure, which explains more than its echoes downstream.</summary>
    private static async Task FirstFailureAsync(params Task[] stages)
    {
        try
        {
            await Task.WhenAll(stages).ConfigureAwait(false);
        }
        catch
        {
            var errors = stages.Select(s => s.Exception?.InnerException).OfType<Exception>().ToList();
            var first = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (first is null)
            {
                throw;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private sealed class EncodeResult
    {
        public long PlainSize { get; set; }
        public string PlainSha256 { get; set; } = "";
        public long StoredSize { get; set; }
        /// <summary>SHA-256 without read-back; XXH3-128 with it.</summary>
        public string StoredDigest { get; set; } = "";
    }
}
