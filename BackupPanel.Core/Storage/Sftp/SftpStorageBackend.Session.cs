using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace BackupPanel.Core.Storage.Sftp;

/// <summary>The SSH session: connect once (host key checked against the pin), reconnect when dropped, words for errors.</summary>
public sealed partial class SftpStorageBackend
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private SftpClient? _client;
    private string? _seenHostKey;
    private int _swept;

    /// <summary>
    /// Connects without logging in and returns the server's host key fingerprint ("SHA256:…"), for the user to confirm
    /// before it is pinned. Unreachable servers throw a <see cref="StorageException"/>.
    /// </summary>
    public static async Task<string> FetchHostKeyAsync(string host, int port, TimeSpan timeout, CancellationToken ct)
    {
        string? seen = null;
        var info = new ConnectionInfo(host, port, "backuppanel-host-key-probe", new NoneAuthenticationMethod("backuppanel-host-key-probe")) { Timeout = timeout };
        using var client = new SftpClient(info);
        client.HostKeyReceived += (_, e) =>
        {
            seen = SftpSettings.NormalizeFingerprint(e.FingerPrintSHA256);
            e.CanTrust = false; // never log in here: the key is shown to the user first
        };
        try
        {
            await client.ConnectAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (seen is null && ex is not OperationCanceledException)
        {
            throw Unreachable(ex, host, port);
        }
        catch (Exception ex) when (ex is SshException or SocketException or ProxyException)
        {
            // Expected: the key was refused on purpose, after it was seen.
        }

        return seen ?? throw new StorageException(StorageErrorKind.Transient, $"{host}:{port} did not show a host key.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _client?.Dispose();
            _client = null;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task<SftpClient> ClientAsync(CancellationToken ct)
    {
        await _connecting.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_client is { IsConnected: true })
            {
                return _client;
            }

            _client?.Dispose();
            _client = null;
            var client = new SftpClient(ConnectionInfo()) { OperationTimeout = TimeSpan.FromMinutes(2), BufferSize = 256 * 1024 };
            client.HostKeyReceived += (_, e) =>
            {
                _seenHostKey = SftpSettings.NormalizeFingerprint(e.FingerPrintSHA256);
                e.CanTrust = settings.HostKeySha256 is { } pinned && SftpSettings.NormalizeFingerprint(pinned) == _seenHostKey;
            };
            try
            {
                await client.ConnectAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                client.Dispose();
                throw;
            }

            return _client = client;
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException)
        {
            throw ConnectFailed(ex);
        }
        finally
        {
            _connecting.Release();
        }
    }

    private ConnectionInfo ConnectionInfo()
    {
        var methods = new List<AuthenticationMethod>();
        if (!string.IsNullOrEmpty(settings.Password))
        {
            methods.Add(new PasswordAuthenticationMethod(settings.User, settings.Password));
        }

        if (!string.IsNullOrWhiteSpace(settings.PrivateKey))
        {
            methods.Add(new PrivateKeyAuthenticationMethod(settings.User, ReadKey()));
        }

        if (methods.Count == 0)
        {
            throw new StorageException(StorageErrorKind.Permanent, "Enter a password or a private key for the SFTP server.");
        }

        return new ConnectionInfo(settings.Host, settings.Port, settings.User, [.. methods]) { Timeout = settings.Timeout };
    }

    private PrivateKeyFile ReadKey()
    {
        try
        {
            using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(settings.PrivateKey!.Trim() + "\n"));
            return string.IsNullOrEmpty(settings.PrivateKeyPassphrase) ? new PrivateKeyFile(text) : new PrivateKeyFile(text, settings.PrivateKeyPassphrase);
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            // SSH.NET's message may quote the key's first line, never its secret part; ours says what to do.
            throw new StorageException(StorageErrorKind.Permanent,
                "The private key could not be read: paste an OpenSSH or PEM private key (and its passphrase if it has one).");
        }
    }

    private StorageException ConnectFailed(Exception ex)
    {
        if (_seenHostKey is { } seen && settings.HostKeySha256 is not { Length: > 0 })
        {
            return new StorageException(StorageErrorKind.Permanent,
                $"The server's host key {seen} is not confirmed yet: test the connection and confirm the fingerprint.", ex);
        }

        if (_seenHostKey is { } changed && SftpSettings.NormalizeFingerprint(settings.HostKeySha256!) != changed)
        {
            return new StorageException(StorageErrorKind.Permanent,
                $"The server's host key has changed: it is {changed}, but {SftpSettings.NormalizeFingerprint(settings.HostKeySha256!)} is pinned. " +
                "If the server was reinstalled, confirm the new key; otherwise someone may be intercepting the connection.", ex);
        }

        return ex is SshAuthenticationException
            ? new StorageException(StorageErrorKind.Permanent, $"The SFTP server refused the login of '{settings.User}': check the password or key.", ex)
            : Unreachable(ex, settings.Host, settings.Port);
    }

    private static StorageException Unreachable(Exception ex, string host, int port) => ex switch
    {
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } =>
            new(StorageErrorKind.Permanent, $"The host name '{host}' is unknown.", ex),
        _ => new(StorageErrorKind.Transient, $"Could not connect to {host}:{port}: {ex.Message}", ex),
    };

    private StorageException Classify(Exception ex, string key) => ex switch
    {
        SftpPathNotFoundException => new(StorageErrorKind.NotFound, $"'{key}' does not exist.", ex),
        SftpPermissionDeniedException => new(StorageErrorKind.Permanent, $"The SFTP server denied access to '{key}' (check the folder's permissions).", ex),
        SshConnectionException or SshOperationTimeoutException or SocketException or IOException or ObjectDisposedException =>
            new(StorageErrorKind.Transient, $"The connection to {settings.Host}:{settings.Port} was lost while working on '{key}': {ex.Message}", ex),
        SshException when ex.Message.Contains("No space", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("quota", StringComparison.OrdinalIgnoreCase) =>
            new(StorageErrorKind.Permanent, $"The SFTP server is full while writing '{key}': {ex.Message}", ex),
        _ => new(StorageErrorKind.Transient, $"SFTP error on '{key}': {ex.Message}", ex),
    };

    private static async Task TryDeleteAsync(SftpClient client, string path)
    {
        try
        {
            await client.DeleteFileAsync(path, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SshException or SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort (the connection may be the thing that failed): the next run sweeps stale uploads.
        }
    }

    private async Task SweepStalePartialsAsync(SftpClient client, CancellationToken ct)
    {
        // Uploads a killed run left: once per backend (per run). A live upload writes continuously, so a file not
        // written for StalePartialAge is dead.
        if (Interlocked.Exchange(ref _swept, 1) == 1)
        {
            return;
        }

        foreach (var entry in await ListFolderAsync(client, RemotePath.PartialFolder, ct).ConfigureAwait(false))
        {
            if (entry.IsRegularFile && DateTime.UtcNow - entry.LastWriteTimeUtc > StalePartialAge)
            {
                await TryDeleteAsync(client, entry.FullName).ConfigureAwait(false);
            }
        }
    }
}
