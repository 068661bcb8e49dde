using System.Runtime.CompilerServices;
using Renci.SshNet;
using Renci.SshNet.Sftp;

namespace BackupPanel.Core.Storage.Sftp;

/// <summary>
/// Objects as files on an SFTP server (SSH.NET). One SSH session is opened on first use and reused for every call
/// until the backend is disposed (a run's components and read-backs share it). Uploads go to
/// <c>&lt;root&gt;/.partial/</c> and are renamed into place with the atomic posix-rename extension; the server's host key
/// must match the pinned fingerprint. Connection handling and error wording are in SftpStorageBackend.Session.cs.
/// </summary>
public sealed partial class SftpStorageBackend(SftpSettings settings) : IStorageBackend
{
    private readonly string _root = RemotePath.NormalizeRoot(settings.Root);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _madeFolders = new(StringComparer.Ordinal);

    /// <summary>Uploads left in the partial folder this long (a killed run's) are removed by the next run.</summary>
    public TimeSpan StalePartialAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var client = await ClientAsync(ct).ConfigureAwait(false);
        var temp = RemotePath.Combine(_root, RemotePath.NewPartialKey());
        try
        {
            await EnsureFoldersAsync(client, RemotePath.PartialFolder + "/", ct).ConfigureAwait(false);
            await SweepStalePartialsAsync(client, ct).ConfigureAwait(false);
            // SSH.NET's upload keeps several writes in flight (a stream's writes wait for each answer: half the speed).
            await client.UploadFileAsync(SourceFailedException.Guard(content), temp, canOverride: false, uploadProgress: null, ct).ConfigureAwait(false);

            await EnsureFoldersAsync(client, key, ct).ConfigureAwait(false);
            await Task.Run(() => client.RenameFile(temp, path, isPosix: true), ct).ConfigureAwait(false);
        }
        catch (SourceFailedException ex)
        {
            await TryDeleteAsync(client, temp).ConfigureAwait(false);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException)
        {
            await TryDeleteAsync(client, temp).ConfigureAwait(false);
            throw Classify(ex, key);
        }
        catch
        {
            await TryDeleteAsync(client, temp).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, ByteRange? range, CancellationToken ct)
    {
        var path = PathOf(key);
        var client = await ClientAsync(ct).ConfigureAwait(false);
        try
        {
            var file = await client.OpenAsync(path, FileMode.Open, FileAccess.Read, ct).ConfigureAwait(false);
            if (range is not { } r)
            {
                return file;
            }

            file.Seek(Math.Min(r.Offset, file.Length), SeekOrigin.Begin);
            return new BoundedReadStream(file, r.Length);
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException)
        {
            throw Classify(ex, key);
        }
    }

    /// <inheritdoc />
    public async Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        var client = await ClientAsync(ct).ConfigureAwait(false);
        try
        {
            var file = await client.GetAsync(path, ct).ConfigureAwait(false);
            return file.IsRegularFile ? new StorageObjectInfo(key, file.Length, file.LastWriteTimeUtc) : null;
        }
        catch (Renci.SshNet.Common.SftpPathNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException)
        {
            throw Classify(ex, key);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var client = await ClientAsync(ct).ConfigureAwait(false);
        var pending = new Stack<string>();
        pending.Push(RemotePath.ListStart(prefix));
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in await ListFolderAsync(client, folder, ct).ConfigureAwait(false))
            {
                var key = folder.Length == 0 ? entry.Name : folder + "/" + entry.Name;
                if (entry.IsDirectory && !(folder.Length == 0 && entry.Name == RemotePath.PartialFolder))
                {
                    pending.Push(key);
                }
                else if (entry.IsRegularFile && key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    yield return new StorageObjectInfo(key, entry.Length, entry.LastWriteTimeUtc);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        var client = await ClientAsync(ct).ConfigureAwait(false);
        try
        {
            await client.DeleteFileAsync(path, ct).ConfigureAwait(false);
        }
        catch (Renci.SshNet.Common.SftpPathNotFoundException)
        {
            return;
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException)
        {
            throw Classify(ex, key);
        }

        // Empty folders go with their last object (best effort: a folder still holding something stays).
        foreach (var folder in RemotePath.FoldersOf(key).Reverse())
        {
            try
            {
                await client.DeleteDirectoryAsync(RemotePath.Combine(_root, folder), ct).ConfigureAwait(false);
                _madeFolders.TryRemove(RemotePath.Combine(_root, folder), out _);
            }
            catch (Renci.SshNet.Common.SshException)
            {
                break;
            }
        }
    }

    /// <inheritdoc />
    public Task<StorageTestResult> TestAsync(CancellationToken ct) => StorageProbe.RunAsync(this, ct);

    /// <inheritdoc />
    public override string ToString() => settings.ToString();

    private string PathOf(string key) => RemotePath.Combine(_root, StorageKey.Validate(key));

    private async Task<List<ISftpFile>> ListFolderAsync(SftpClient client, string folder, CancellationToken ct)
    {
        var entries = new List<ISftpFile>();
        try
        {
            await foreach (var entry in client.ListDirectoryAsync(folder.Length == 0 ? (_root.Length == 0 ? "." : _root) : RemotePath.Combine(_root, folder), ct).ConfigureAwait(false))
            {
                if (entry.Name is not ("." or ".."))
                {
                    entries.Add(entry);
                }
            }
        }
        catch (Renci.SshNet.Common.SftpPathNotFoundException)
        {
            // The prefix names a folder that does not exist (or nothing was stored yet): nothing to list.
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException)
        {
            throw Classify(ex, folder);
        }

        return entries;
    }

    private async Task EnsureFoldersAsync(SftpClient client, string key, CancellationToken ct)
    {
        // The root too (created on first use, like `mkdir -p`); folders made once are remembered for the run.
        var rootFolders = RemotePath.FoldersOf(_root.TrimStart('/') + "/").Select(f => _root.StartsWith('/') ? "/" + f : f);
        foreach (var path in rootFolders.Concat(RemotePath.FoldersOf(key).Select(f => RemotePath.Combine(_root, f))))
        {
            if (_madeFolders.ContainsKey(path))
            {
                continue;
            }

            try
            {
                await client.CreateDirectoryAsync(path, ct).ConfigureAwait(false);
            }
            catch (Renci.SshNet.Common.SshException)
            {
                // Made already (by an earlier object or a concurrent upload)? Otherwise the real error follows.
                if (!await client.ExistsAsync(path, ct).ConfigureAwait(false))
                {
                    throw;
                }
            }

            _madeFolders.TryAdd(path, 0);
        }
    }
}
