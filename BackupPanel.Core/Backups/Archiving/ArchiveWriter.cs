using System.IO.Pipelines;
using BackupPanel.Core.Backups.Archiving.Age;
using BackupPanel.Core.Storage;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace BackupPanel.Core.Backups.Archiving;

/// <summary>
/// Writes one backup folder: each component streams producer → SHA-256 (plain) → zstd → age → SHA-256 (stored) →
/// the storage backend, through a bounded pipe so memory stays flat; then the copy is read back and checked;
/// <see cref="CommitAsync"/> writes <c>manifest.json</c> last.
/// </summary>
public sealed class ArchiveWriter(IStorageBackend storage, string folderKey, ArchiveWriteOptions options)
{
    private const long PipePause = 8 << 20;

    /// <summary>Streams one component. <paramref name="produce"/> writes the plain bytes and returns an entry count (or null).</summary>
    public async Task<ArchiveComponent> WriteComponentAsync(
        string kind, string? database, Func<Stream, CancellationToken, Task<long?>> produce, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(produce);
        var encrypted = options.Recipients.Count > 0;
        var name = ArchiveLayout.ComponentName(kind, database, encrypted);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipePause, resumeWriterThreshold: PipePause / 2, useSynchronizationContext: false));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stored = new HashingStream(pipe.Writer.AsStream(leaveOpen: true));
        var produceTask = Task.Run(() => ProduceAsync(pipe.Writer, stored, produce, progress, cts.Token), CancellationToken.None);
        var putTask = PutAsync(name, pipe.Reader, cts);
        await WhenBothAsync(produceTask, putTask).ConfigureAwait(false);
        var (entries, plainSize, plainSha256) = await produceTask.ConfigureAwait(false);

        var component = new ArchiveComponent
        {
            Name = name,
            Kind = kind,
            Database = database,
            StoredSize = stored.BytesTransferred,
            StoredSha256 = stored.Sha256Hex,
            PlainSize = plainSize,
            PlainSha256 = plainSha256,
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

    private async Task<(long? Entries, long PlainSize, string PlainSha256)> ProduceAsync(
        PipeWriter writer, HashingStream stored, Func<Stream, CancellationToken, Task<long?>> produce, Action<long>? progress, CancellationToken ct)
    {
        try
        {
            var sealing = options.Recipients.Count > 0 ? new AgeEncryptingStream(stored, options.Recipients, leaveOpen: true) : null;
            var zstd = new CompressionStream(sealing ?? (Stream)stored, options.CompressionLevel, leaveOpen: true);
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, options.CompressionWorkers > 0 ? options.CompressionWorkers : Environment.ProcessorCount);
            using var plain = new HashingStream(zstd, leaveOpen: true) { OnProgress = progress };
            var entries = await produce(plain, ct).ConfigureAwait(false);

            // Only a producer that finished closes the frame and the age stream: a failed one leaves no valid end.
            await zstd.DisposeAsync().ConfigureAwait(false);
            if (sealing is not null)
            {
                await sealing.DisposeAsync().ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
            return (entries, plain.BytesTransferred, plain.Sha256Hex);
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false);
            throw;
        }
    }

    private async Task PutAsync(string name, PipeReader reader, CancellationTokenSource cts)
    {
        try
        {
            var source = reader.AsStream(leaveOpen: true);
            await using (source.ConfigureAwait(false))
            {
                await storage.PutAsync(folderKey + name, source, cts.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for both; the producer's own failure explains more than the backend's echo of it.</summary>
    private static async Task WhenBothAsync(Task produce, Task put)
    {
        try
        {
            await Task.WhenAll(produce, put).ConfigureAwait(false);
        }
        catch
        {
            if (produce.Exception?.InnerException is { } produceError and not OperationCanceledException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(produceError);
            }

            if (put.Exception?.InnerException is { } putError)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(putError);
            }

            throw;
        }
    }
}
