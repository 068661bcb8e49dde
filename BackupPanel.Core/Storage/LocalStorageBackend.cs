using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BackupPanel.Core.Storage;

/// <summary>
/// Objects as files under a root directory. Writes go to <c>&lt;root&gt;/.partial/</c>, are fsynced, then renamed into
/// place, so a crash never leaves a half file under a real key. Empty folders disappear with their last object.
/// </summary>
public sealed partial class LocalStorageBackend : IStorageBackend
{
    /// <summary>Where objects are written before the rename; never listed, stale files are swept.</summary>
    public const string PartialFolder = ".partial";

    private const int BufferSize = 1 << 20;
    // Write-behind: the kernel is asked to start writing every 8 MiB as it arrives, so the fsync at the end only waits
    // for the last few MiB instead of the whole file (a 370 MiB component's fsync: 0.25–0.36 s without, mostly
    // 6–30 ms with it; docs/PERFORMANCE.md).
    private const long WriteBehindBytes = 8 << 20;
    private const uint SyncFileRangeWrite = 2;
    private static readonly TimeSpan StalePartialAge = TimeSpan.FromDays(1);
    private readonly string _root;
    private int _swept;

    /// <summary>Creates a backend over <paramref name="root"/> (an absolute path; it must exist when used).</summary>
    public LocalStorageBackend(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Path.IsPathFullyQualified(root))
        {
            throw new StorageException(StorageErrorKind.Permanent, $"The folder '{root}' is not an absolute path.");
        }

        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, CancellationToken ct) => PutAsync(key, content, null, ct);

    /// <summary>Stores, reading every range back from the file right after writing it (no second pass afterwards).</summary>
    public async Task<StoredCopy> PutAndReadBackAsync(string key, Stream content, CancellationToken ct)
    {
        using var check = new HashingStream(Stream.Null, xxHash128: true);
        using var readBack = new HashingStream(check, leaveOpen: true);
        await PutAsync(key, content, readBack, ct).ConfigureAwait(false);
        return StoredCopy.Of(readBack, check);
    }

    private async Task<long> PutAsync(string key, Stream content, Stream? readBack, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var partialDir = Path.Combine(RequireRoot(), PartialFolder);
        var temp = Path.Combine(partialDir, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(partialDir);
            SweepStalePartials(partialDir);
            long size;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 0, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                size = await CopyAsync(content, file, readBack, ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            return size;
        }
        catch (SourceFailedException ex)
        {
            TryDelete(temp);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Classify(ex, key);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Copies, letting the source's own failures through unchanged: they are not storage errors. With
    /// <paramref name="readBack"/>, each range is read back from the file once written and hashed.
    /// </summary>
    private static async Task<long> CopyAsync(Stream content, FileStream file, Stream? readBack, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        var fromFile = readBack is null ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long written = 0, flushed = 0;
            int read;
            while ((read = await ReadSourceAsync(content, buffer, ct).ConfigureAwait(false)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                if (readBack is not null)
                {
                    readBack.Write(fromFile!, 0, ReadBack(file.SafeFileHandle, fromFile!.AsSpan(0, read), written));
                }

                written += read;
                if (written - flushed >= WriteBehindBytes)
                {
                    StartWriteBack(file.SafeFileHandle, flushed, written - flushed);
                    flushed = written;
                }
            }

            return written;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            if (fromFile is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(fromFile);
            }
        }
    }

    /// <summary>Reads a range just written back from the file; fewer bytes than written means the file lost some.</summary>
    private static int ReadBack(SafeFileHandle file, Span<byte> range, long offset)
    {
        var total = 0;
        int read;
        while (total < range.Length && (read = RandomAccess.Read(file, range[total..], offset + total)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Starts writing a range to disk without waiting (Linux); only a hint: the fsync at the end decides.</summary>
    private static void StartWriteBack(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, offset, count, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    private static async ValueTask<int> ReadSourceAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await content.ReadAsync(buffer, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SourceFailedException(ex);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, ByteRange? range, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (range is not { } r)
            {
                return Task.FromResult<Stream>(file);
            }

            file.Seek(Math.Min(r.Offset, file.Length), SeekOrigin.Begin);
            return Task.FromResult<Stream>(new BoundedReadStream(file, r.Length));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, key);
        }
    }

    /// <inheritdoc />
    public Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct)
    {
        var file = new FileInfo(PathOf(key));
        RequireRoot();
        return Task.FromResult(file.Exists ? new StorageObjectInfo(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var root = RequireRoot();
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? root : Path.Combine(root, StorageKey.Validate(prefix[..slash]));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", options))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(PartialFolder + "/", StringComparison.Ordinal) || !key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            yield return new StorageObjectInfo(key, file.Length, file.LastWriteTimeUtc);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        var root = RequireRoot();
        try
        {
            if (!Directory.Exists(Path.GetDirectoryName(path)))
            {
                return Task.CompletedTask;
            }

            File.Delete(path);
            RemoveEmptyParents(Path.GetDirectoryName(path)!, root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, key);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StorageTestResult> TestAsync(CancellationToken ct) => StorageProbe.RunAsync(this, ct);

    /// <inheritdoc />
    public override string ToString() => $"Local folder {_root}";

    private string PathOf(string key) => Path.Combine(_root, StorageKey.Validate(key));

    private string RequireRoot() => Directory.Exists(_root)
        ? _root
        : throw new StorageException(StorageErrorKind.Permanent, $"The folder '{_root}' does not exist (create it or fix the path).");

    private static StorageException Classify(Exception ex, string key) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => new(StorageErrorKind.NotFound, $"'{key}' does not exist.", ex),
        UnauthorizedAccessException => new(StorageErrorKind.Permanent, $"Permission denied writing or reading '{key}': {ex.Message}", ex),
        IOException io when io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) =>
            new(StorageErrorKind.Permanent, $"The destination is full (no space left on the device) while writing '{key}'.", ex),
        IOException io when io.HResult is 13 or 30 => new(StorageErrorKind.Permanent, $"Cannot write '{key}': {io.Message}", ex),
        _ => new(StorageErrorKind.Transient, $"I/O error on '{key}': {ex.Message}", ex),
    };

    private void SweepStalePartials(string partialDir)
    {
        // Files left by a killed process; once per backend instance is enough.
        if (Interlocked.Exchange(ref _swept, 1) == 1)
        {
            return;
        }

        foreach (var stale in new DirectoryInfo(partialDir).EnumerateFiles().Where(f => DateTime.UtcNow - f.LastWriteTimeUtc > StalePartialAge))
        {
            TryDelete(stale.FullName);
        }
    }

    private static void RemoveEmptyParents(string dir, string root)
    {
        while (dir.Length > root.Length && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.Delete(dir);
            dir = Path.GetDirectoryName(dir)!;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale partial file is swept later and is never listed.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    /// <summary>Marks an exception thrown by the content stream, so it is not mistaken for a storage error.</summary>
    private sealed class SourceFailedException(Exception inner) : Exception(inner.Message, inner);
}
