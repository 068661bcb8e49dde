namespace BackupPanel.Core.Storage;

/// <summary>
/// A dumb object store addressed by keys: the one contract every destination kind implements (after restic's and
/// kopia's backend interfaces). It knows nothing of domains or backups.
/// </summary>
/// <remarks>
/// Keys are relative, '/'-separated paths (see <see cref="StorageKey"/>). Every method either succeeds or throws a
/// <see cref="StorageException"/> whose <see cref="StorageException.Kind"/> says what went wrong: only
/// <see cref="StorageErrorKind.Transient"/> errors are worth retrying, and retrying is a decorator's job, never a
/// backend's. Implementations are safe to call concurrently for different keys. A backend may hold connections
/// (SFTP reuses one session within a run): dispose it when the run is over.
/// </remarks>
public interface IStorageBackend : IAsyncDisposable
{
    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, replacing any object there.
    /// Atomic: a reader sees the old object or the complete new one, never a part (temp name + rename, or a single
    /// PUT / multipart completion). When the content stream throws or <paramref name="ct"/> fires, nothing is left
    /// under the key and the partial data is removed.
    /// </summary>
    Task PutAsync(string key, Stream content, CancellationToken ct);

    /// <summary>
    /// Stores like <see cref="PutAsync"/>, then proves the copy: the size, SHA-256 and XXH3-128 of the bytes read back
    /// from the destination, which the caller compares with what it sent (a copy counts only once read back). This default
    /// reads the whole object back after the put; a backend that can prove it more cheaply overrides it (Local reads
    /// each range back from the file as soon as it is written, so no second pass follows the upload).
    /// </summary>
    async Task<StoredCopy> PutAndReadBackAsync(string key, Stream content, CancellationToken ct)
    {
        await PutAsync(key, content, ct).ConfigureAwait(false);
        var stored = await OpenReadAsync(key, null, ct).ConfigureAwait(false);
        await using (stored.ConfigureAwait(false))
        {
            return await StoredCopy.MeasureAsync(stored, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens the object for sequential reading, whole or the given byte range (clamped to the object's end).
    /// Throws <see cref="StorageErrorKind.NotFound"/> when the key does not exist. The caller disposes the stream.
    /// </summary>
    Task<Stream> OpenReadAsync(string key, ByteRange? range, CancellationToken ct);

    /// <summary>Size and modification time of the object, or <c>null</c> when it does not exist.</summary>
    Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct);

    /// <summary>
    /// Every object whose key starts with <paramref name="prefix"/> (a plain string prefix, as in S3; "" lists all).
    /// Objects being written (temporary names) are never listed. The order is unspecified.
    /// </summary>
    IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Removes the object. Idempotent: deleting a missing key succeeds.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// Proves the destination works: writes, stats, reads back, lists and deletes a probe object (see
    /// <see cref="StorageProbe"/>). Never throws for a failing destination; the result says what failed, in words.
    /// </summary>
    Task<StorageTestResult> TestAsync(CancellationToken ct);

    /// <summary>Closes connections the backend holds; the default holds none.</summary>
    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
