using System.Runtime.CompilerServices;

namespace BackupPanel.Core.Storage;

/// <summary>
/// Objects as files under a root directory. Writes go to <c>&lt;root&gt;/.partial/</c>, are fsynced, then renamed into
/// place, so a crash never leaves a half file under a real key. Empty folders disappear with their last object. The
/// copy into the file (write-behind, read-back) is in LocalStorageBackend.Writing.cs.
/// </summary>
public sealed partial class LocalStorageBackend : IStorageBackend
{
    /// <summary>Where objects are written before the rename; never listed, stale files are swept.</summary>
    public const string PartialFolder = ".partial";

    private const int BufferSize = 1 << 20;
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
            PrivateFiles.CreateFolder(partialDir);
            SweepStalePartials(partialDir);
            long size;
            var file = PrivateFiles.Create(temp + ClaimingSuffix, FileMode.CreateNew, FileAccess.ReadWrite, 0);
            await using (file.ConfigureAwait(false))
            {
                // Locked while this process writes, and named only once locked: a sweeper that can lock a named partial
                // file knows its writer is gone (before, a sweep could take a file in the instant between its creation
                // and its lock, and delete a live upload).
                FileLock.TryLockExclusive(file.SafeFileHandle);
                File.Move(temp + ClaimingSuffix, temp);
                size = await CopyAsync(content, file, readBack, ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            return size;
        }
        catch (SourceFailedException ex)
        {
            TryDelete(temp);
            TryDelete(temp + ClaimingSuffix);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            TryDelete(temp + ClaimingSuffix);
            throw Classify(ex, key);
        }
        catch
        {
            TryDelete(temp);
            TryDelete(temp + ClaimingSuffix);
            throw;
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

    /// <summary>A partial file's name until its writer holds its lock.</summary>
    private const string ClaimingSuffix = ".claiming";

    private void SweepStalePartials(string partialDir)
    {
        // Files left by a killed process (its lock on the file died with it), or older than a day; once per backend instance.
        if (Interlocked.Exchange(ref _swept, 1) == 1)
        {
            return;
        }

        foreach (var partial in new DirectoryInfo(partialDir).EnumerateFiles())
        {
            if (DateTime.UtcNow - partial.LastWriteTimeUtc > StalePartialAge
                || (!partial.Name.EndsWith(ClaimingSuffix, StringComparison.Ordinal) && WriterIsGone(partial.FullName)))
            {
                TryDelete(partial.FullName);
            }
        }
    }

    /// <summary>True when no process holds the lock a writer keeps on its partial file (on this host).</summary>
    private static bool WriterIsGone(string partial)
    {
        try
        {
            using var probe = new FileStream(partial, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return FileLock.TryLockExclusive(probe.SafeFileHandle);
        }
        catch (IOException)
        {
            return false; // in use, or gone already
        }
        catch (UnauthorizedAccessException)
        {
            return false;
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
}
