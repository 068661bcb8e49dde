using System.Net;
using System.Runtime.CompilerServices;

namespace BackupPanel.Core.Storage.Ftp;

/// <summary>
/// Objects as files on an FTP or explicit-FTPS server, through .NET's FtpWebRequest (obsolete, SYSLIB0014, but the only
/// FTP client our package registry serves; the warning is silenced in this folder only). Passive mode, binary, one
/// connection per command. Uploads go to <c>&lt;root&gt;/.partial/</c> and are renamed into place. Requests, TLS trust
/// and error wording are in FtpStorageBackend.Requests.cs.
/// </summary>
public sealed partial class FtpStorageBackend(FtpSettings settings) : IStorageBackend
{
    private const int BufferSize = 1 << 20;
    private readonly string _root = RemotePath.NormalizeRoot(settings.Root).TrimStart('/');
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _madeFolders = new(StringComparer.Ordinal);
    private int _swept;

    /// <summary>Uploads left in the partial folder this long (a killed run's) are removed by the next run.</summary>
    public TimeSpan StalePartialAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        StorageKey.Validate(key);
        var temp = RemotePath.NewPartialKey();
        try
        {
            await EnsureFoldersAsync(temp, ct).ConfigureAwait(false);
            await SweepStalePartialsAsync(ct).ConfigureAwait(false);
            await UploadAsync(temp, content, ct).ConfigureAwait(false);
            await EnsureFoldersAsync(key, ct).ConfigureAwait(false);
            var rename = Create(temp, WebRequestMethods.Ftp.Rename);
            rename.RenameTo = "../" + key; // relative to the upload's folder (.partial): works chrooted or not
            await SendAsync(rename, key, ct).ConfigureAwait(false);
        }
        catch (SourceFailedException ex)
        {
            await TryDeleteAsync(temp).ConfigureAwait(false);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch
        {
            await TryDeleteAsync(temp).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, ByteRange? range, CancellationToken ct)
    {
        StorageKey.Validate(key);
        if (range is { } r && (r.Length <= 0 || r.Offset >= (await StatAsync(key, ct).ConfigureAwait(false) ?? throw Missing(key)).Size))
        {
            return new MemoryStream([], writable: false);
        }

        var request = Create(key, WebRequestMethods.Ftp.DownloadFile);
        request.ContentOffset = range?.Offset ?? 0;
        var response = await ResponseAsync(request, key, ct).ConfigureAwait(false);
        var body = new FtpDownloadStream(request, response);
        return range is { } bounded ? new BoundedReadStream(body, bounded.Length) : body;
    }

    /// <inheritdoc />
    public async Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct)
    {
        StorageKey.Validate(key);
        try
        {
            using var size = await ResponseAsync(Create(key, WebRequestMethods.Ftp.GetFileSize), key, ct).ConfigureAwait(false);
            using var time = await ResponseAsync(Create(key, WebRequestMethods.Ftp.GetDateTimestamp), key, ct).ConfigureAwait(false);
            return new StorageObjectInfo(key, size.ContentLength, new DateTimeOffset(time.LastModified.ToUniversalTime()));
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var pending = new Stack<string>();
        pending.Push(RemotePath.ListStart(prefix));
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in await ListFolderAsync(folder, ct).ConfigureAwait(false))
            {
                var key = folder.Length == 0 ? entry.Name : folder + "/" + entry.Name;
                if (entry.IsDirectory && !(folder.Length == 0 && entry.Name == RemotePath.PartialFolder))
                {
                    pending.Push(key);
                }
                else if (entry.IsFile && key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // LIST times are rough (minute or day, server time zone): objects carry "unknown" rather than a guess.
                    yield return new StorageObjectInfo(key, entry.Size, DateTimeOffset.UnixEpoch);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        StorageKey.Validate(key);
        try
        {
            await SendAsync(Create(key, WebRequestMethods.Ftp.DeleteFile), key, ct).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return;
        }

        foreach (var folder in RemotePath.FoldersOf(key).Reverse())
        {
            try
            {
                await SendAsync(Create(folder, WebRequestMethods.Ftp.RemoveDirectory), folder, ct).ConfigureAwait(false);
                _madeFolders.TryRemove(folder, out _);
            }
            catch (StorageException)
            {
                break; // not empty: it stays
            }
        }
    }

    /// <inheritdoc />
    public Task<StorageTestResult> TestAsync(CancellationToken ct) => StorageProbe.RunAsync(this, ct);

    /// <inheritdoc />
    public override string ToString() => settings.ToString();

    private async Task<List<FtpListEntry>> ListFolderAsync(string folder, CancellationToken ct)
    {
        try
        {
            var request = Create(folder.Length == 0 ? "" : folder + "/", WebRequestMethods.Ftp.ListDirectoryDetails);
            using var response = await ResponseAsync(request, folder, ct).ConfigureAwait(false);
            using var reader = new StreamReader(response.GetResponseStream(), System.Text.Encoding.UTF8);
            return [.. FtpListing.Parse(await reader.ReadToEndAsync(ct).ConfigureAwait(false))];
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return []; // the folder does not exist (yet): nothing in it
        }
    }

    private async Task EnsureFoldersAsync(string key, CancellationToken ct)
    {
        var rootFolders = RemotePath.FoldersOf(_root + "/").Select(f => (Path: f, Absolute: true));
        foreach (var (folder, absolute) in rootFolders.Concat(RemotePath.FoldersOf(key).Select(f => (Path: f, Absolute: false))))
        {
            var id = absolute ? "/" + folder : folder;
            if (_madeFolders.ContainsKey(id))
            {
                continue;
            }

            try
            {
                await SendAsync(Create(folder, WebRequestMethods.Ftp.MakeDirectory, absolute), folder, ct).ConfigureAwait(false);
            }
            catch (StorageException ex) when (ex.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
            {
                // 550 also means "exists already"; a real problem shows at the upload that follows.
            }

            _madeFolders.TryAdd(id, 0);
        }
    }

    private async Task UploadAsync(string key, Stream content, CancellationToken ct)
    {
        var request = Create(key, WebRequestMethods.Ftp.UploadFile);
        using var abort = ct.Register(request.Abort);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var upload = await request.GetRequestStreamAsync().ConfigureAwait(false);
            await using (upload.ConfigureAwait(false))
            {
                int read;
                while ((read = await ReadSourceAsync(content, buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await upload.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
            }

            using var response = (FtpWebResponse)await request.GetResponseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebException or IOException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            ct.ThrowIfCancellationRequested();
            throw Classify(ex, key);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> ReadSourceAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await content.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new SourceFailedException(ex);
        }
    }
}
