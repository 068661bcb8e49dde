using BackupPanel.Core.Backups.Archiving.Age;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Backups.Archiving;

/// <summary>
/// Writes one backup folder. Each component runs as a pipeline of stages on their own threads, like
/// <c>tar | zstd | age &gt; file</c>: [producer → SHA-256 plain] → [zstd → age → SHA-256 stored] → storage backend,
/// joined by bounded pipes so memory stays flat. The stored copy is then read back and checked;
/// <see cref="CommitAsync"/> writes <c>manifest.json</c> last.
/// </summary>
public sealed class ArchiveWriter(IStorageBackend storage, string folderKey, ArchiveWriteOptions options)
{
    private const int CopyBuffer = 1 << 20;

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

        // The plain bytes are hashed on the producer's thread: the encode thread (zstd feed, age, stored hash) is the busier.
        var plainStage = PipeStage.Start(async (output, token) =>
        {
            using var hashed = new HashingStream(output, leaveOpen: true) { OnProgress = progress };
            entries = await produce(hashed, token).ConfigureAwait(false);
            (encoded.PlainSize, encoded.PlainSha256) = (hashed.BytesTransferred, hashed.Sha256Hex);
        }, cts.Token);
        await using (plainStage.ConfigureAwait(false))
        {
            var storedStage = PipeStage.Start((output, token) => EncodeAsync(plainStage.Output, output, encoded, token), cts.Token);
            await using (storedStage.ConfigureAwait(false))
            {
                var put = PutAsync(name, storedStage.Output, cts);
                await FirstFailureAsync(plainStage.Completion, storedStage.Completion, put).ConfigureAwait(false);
            }
        }

        var component = new ArchiveComponent
        {
            Name = name,
            Kind = kind,
            Database = database,
            StoredSize = encoded.StoredSize,
            StoredSha256 = encoded.StoredSha256,
            PlainSize = encoded.PlainSize,
            PlainSha256 = encoded.PlainSha256,
            Entries = entries,
            Encryption = encrypted ? "age" : "none",
            Recipients = options.Recipients.Select(r => r.ToString()).ToArray(),
        };
        if (options.ReadBack)
        {
            await ArchiveReader.CheckStoredCopyAsync(storage, folderKey, component, ct).ConfigureAwait(false);
        }

        return component;
    }

    /// <summary>Writes <c>manifest.json</c>: from now on the backup is complete.</summary>
    public async Task CommitAsync(ArchiveManifest manifest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var json = new MemoryStream(manifest.ToJson(), writable: false);
        await storage.PutAsync(folderKey + ArchiveManifest.FileName, json, ct).ConfigureAwait(false);
    }

    /// <summary>plain → zstd (with its content checksum) → age → SHA-256 → output.</summary>
    private async Task EncodeAsync(Stream plain, Stream output, EncodeResult result, CancellationToken ct)
    {
        await Task.Yield();
        using var stored = new HashingStream(output, leaveOpen: true);
        var sealing = options.Recipients.Count > 0 ? new AgeEncryptingStream(stored, options.Recipients, leaveOpen: true) : null;
        var zstd = new ZstdCompressionStream(sealing ?? (Stream)stored, options.CompressionLevel, options.CompressionWorkers);
        var buffer = new byte[CopyBuffer];
        int read;
        while ((read = plain.Read(buffer)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            zstd.Write(buffer, 0, read);
        }

        // Only a stage whose input ended cleanly closes the frame and the age stream: a failure leaves no valid end.
        zstd.Dispose();
        sealing?.Dispose();
        result.StoredSize = stored.BytesTransferred;
        result.StoredSha256 = stored.Sha256Hex;
    }

    private async Task PutAsync(string name, Stream content, CancellationTokenSource cts)
    {
        try
        {
            await storage.PutAsync(folderKey + name, content, cts.Token).ConfigureAwait(false);
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
        public string StoredSha256 { get; set; } = "";
    }
}
