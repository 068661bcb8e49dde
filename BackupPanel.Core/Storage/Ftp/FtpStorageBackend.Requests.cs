using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BackupPanel.Core.Storage.Ftp;

/// <summary>Building and sending FtpWebRequests, trusting certificates, and words for errors.</summary>
public sealed partial class FtpStorageBackend
{
    // Certificate fingerprints pinned per host name. FtpWebRequest only has the process-wide validation callback, so it
    // is installed once and looks the host up here; everything else keeps the system's trust.
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Pins = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<string, string> Rejected = new(StringComparer.OrdinalIgnoreCase);

    static FtpStorageBackend()
    {
        // TLS 1.3 uploads through FtpWebRequest end in "426 Failure reading network stream" (seen against vsftpd 3.0.3
        // with OpenSSL 3); this setting only touches WebRequest-based code, which is this class alone.
        ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12;
        ServicePointManager.ServerCertificateValidationCallback = Validate;
    }

    private static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        var host = (sender as SslStream)?.TargetHostName ?? "";
        var fingerprint = FtpSettings.FingerprintOf(certificate);
        if (errors == SslPolicyErrors.None || (Pins.TryGetValue(host, out var pinned) && pinned.ContainsKey(fingerprint)))
        {
            return true;
        }

        Rejected[host] = fingerprint;
        return false;
    }

    private FtpWebRequest Create(string key, string method, bool absolute = false)
    {
        if (settings.ExplicitTls && settings.CertificateSha256 is { Length: > 0 } pin)
        {
            Pins.GetOrAdd(settings.Host, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(FtpSettings.NormalizeFingerprint(pin), 0);
        }

        var path = absolute || _root.Length == 0 ? key : _root + "/" + key;
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        var request = (FtpWebRequest)WebRequest.Create(new Uri($"ftp://{settings.Host}:{settings.Port}/{escaped}"));
        request.Method = method;
        request.Credentials = new NetworkCredential(settings.User, settings.Password);
        request.EnableSsl = settings.ExplicitTls;
        request.UsePassive = true;
        request.UseBinary = true;
        request.KeepAlive = false;
        request.Timeout = request.ReadWriteTimeout = (int)settings.Timeout.TotalMilliseconds;
        return request;
    }

    private async Task SendAsync(FtpWebRequest request, string key, CancellationToken ct)
    {
        using var response = await ResponseAsync(request, key, ct).ConfigureAwait(false);
    }

    private async Task<FtpWebResponse> ResponseAsync(FtpWebRequest request, string key, CancellationToken ct)
    {
        using var abort = ct.Register(request.Abort);
        try
        {
            return (FtpWebResponse)await request.GetResponseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebException or IOException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            ct.ThrowIfCancellationRequested();
            throw Classify(ex, key);
        }
    }

    private StorageException Classify(Exception ex, string key)
    {
        var code = (ex as WebException)?.Response is FtpWebResponse r ? (int)r.StatusCode : 0;
        var status = (ex as WebException)?.Status;
        return (code, status) switch
        {
            (530, _) => new(StorageErrorKind.Permanent, $"The FTP server refused the login of '{settings.User}': check the user name and password.", ex),
            (550, _) => new(StorageErrorKind.NotFound, $"'{key}' does not exist (or the FTP server denies access to it).", ex),
            (552 or 452, _) => new(StorageErrorKind.Permanent, $"The FTP server is full (or over quota) while writing '{key}'.", ex),
            (553 or 532, _) => new(StorageErrorKind.Permanent, $"The FTP server does not allow writing '{key}' (check the folder's permissions).", ex),
            (_, WebExceptionStatus.TrustFailure or WebExceptionStatus.SecureChannelFailure) or (0, _) when IsTlsFailure(ex) => Untrusted(ex),
            (_, WebExceptionStatus.NameResolutionFailure) => new(StorageErrorKind.Permanent, $"The host name '{settings.Host}' is unknown.", ex),
            (>= 500, _) => new(StorageErrorKind.Permanent, $"The FTP server refused a command on '{key}': {Clean(ex)}", ex),
            _ => new(StorageErrorKind.Transient, $"FTP error on '{key}' at {settings.Host}:{settings.Port}: {Clean(ex)}", ex),
        };
    }

    private StorageException Untrusted(Exception ex)
    {
        var seen = Rejected.TryGetValue(settings.Host, out var fp) ? $" (SHA-256 {fp})" : "";
        return new StorageException(StorageErrorKind.Permanent,
            $"The FTPS server's certificate{seen} is not trusted: it is not signed by a known authority and does not match a pinned fingerprint. " +
            "If this is your own self-signed server, pin that fingerprint.", ex);
    }

    private static bool IsTlsFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException || (e is WebException w && w.Status is WebExceptionStatus.TrustFailure or WebExceptionStatus.SecureChannelFailure))
            {
                return true;
            }
        }

        return false;
    }

    // The server's reply line without the status code's clutter; never holds a password (the client never sends it in a path).
    private static string Clean(Exception ex) => ex is WebException { Response: FtpWebResponse r } ? r.StatusDescription?.Trim() ?? ex.Message : ex.Message;

    private static StorageException Missing(string key) => new(StorageErrorKind.NotFound, $"'{key}' does not exist.");

    private async Task TryDeleteAsync(string key)
    {
        try
        {
            await SendAsync(Create(key, WebRequestMethods.Ftp.DeleteFile), key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // Best effort (the server may be what failed): the next run sweeps stale uploads.
        }
    }

    private async Task SweepStalePartialsAsync(CancellationToken ct)
    {
        // Uploads a killed run left, once per backend (per run); MDTM gives each one's last write in UTC.
        if (Interlocked.Exchange(ref _swept, 1) == 1)
        {
            return;
        }

        foreach (var entry in (await ListFolderAsync(RemotePath.PartialFolder, ct).ConfigureAwait(false)).Where(e => e.IsFile))
        {
            var key = RemotePath.PartialFolder + "/" + entry.Name;
            DateTime written;
            try
            {
                using var time = await ResponseAsync(Create(key, WebRequestMethods.Ftp.GetDateTimestamp), key, ct).ConfigureAwait(false);
                written = time.LastModified.ToUniversalTime();
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
            {
                continue; // renamed into place by a concurrent upload since the listing
            }

            if (DateTime.UtcNow - written > StalePartialAge)
            {
                await TryDeleteAsync(key).ConfigureAwait(false);
            }
        }
    }
}
