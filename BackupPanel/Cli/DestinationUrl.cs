using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Core.Storage.S3;
using BackupPanel.Core.Storage.Sftp;

namespace BackupPanel.Cli;

/// <summary>
/// Where the command line reads or writes an archive: a folder, or a destination URL —
/// <c>sftp://user@host:port/path</c> (absolute; <c>/~/path</c> for the login folder), <c>ftp://</c> and <c>ftps://</c>
/// (explicit TLS) <c>user@host:port/path</c> under the login folder, <c>s3://bucket/prefix?endpoint=…&amp;region=…</c>.
/// Secrets come from environment variables only, never from arguments (they would show in `ps` and shell history).
/// </summary>
internal static class DestinationUrl
{
    public const string SftpPassword = "BACKUPPANEL_SFTP_PASSWORD";
    public const string SftpKeyFile = "BACKUPPANEL_SFTP_KEY_FILE";
    public const string SftpKeyPassphrase = "BACKUPPANEL_SFTP_KEY_PASSPHRASE";
    public const string FtpPassword = "BACKUPPANEL_FTP_PASSWORD";

    /// <summary>True when <paramref name="location"/> is a URL rather than a folder.</summary>
    public static bool IsUrl(string location) => location.Contains("://", StringComparison.Ordinal);

    /// <summary>
    /// The backend for <paramref name="location"/>; URLs get the retry decorator. Throws <see cref="ArgumentException"/>
    /// for a malformed URL, a password inside it, or a missing host key / secret.
    /// </summary>
    public static IStorageBackend Open(string location, string? sftpHostKey, string? ftpsCertificate, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(environment);
        if (!IsUrl(location))
        {
            return new LocalStorageBackend(Path.GetFullPath(location));
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ArgumentException($"'{Redact(location)}' is not a valid destination URL.");
        }

        if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Passwords never go on the command line: remove it from the URL and set {(uri.Scheme == "sftp" ? SftpPassword : uri.Scheme.StartsWith("ftp", StringComparison.Ordinal) ? FtpPassword : "AWS_SECRET_ACCESS_KEY")}.");
        }

        IStorageBackend backend = uri.Scheme switch
        {
            "sftp" => Sftp(uri, sftpHostKey, environment),
            "ftp" or "ftps" => Ftp(uri, ftpsCertificate, environment),
            "s3" => S3(uri, environment),
            _ => throw new ArgumentException($"Unknown destination scheme '{uri.Scheme}': use a folder, sftp://, ftp://, ftps:// or s3://."),
        };
        return new RetryingStorageBackend(backend, RetryPolicy.Default, TimeProvider.System, line => Console.Error.WriteLine("retry: " + line));
    }

    private static SftpStorageBackend Sftp(Uri uri, string? hostKey, Func<string, string?> environment)
    {
        var keyFile = environment(SftpKeyFile);
        var settings = new SftpSettings
        {
            Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 22 : uri.Port, User = User(uri), Password = environment(SftpPassword),
            PrivateKey = keyFile is { Length: > 0 } ? File.ReadAllText(keyFile) : null, PrivateKeyPassphrase = environment(SftpKeyPassphrase),
            HostKeySha256 = hostKey is { Length: > 0 } ? SftpSettings.NormalizeFingerprint(hostKey) : null, Root = SftpRoot(uri),
        };
        if (settings.Password is null && settings.PrivateKey is null)
        {
            throw new ArgumentException($"Set {SftpPassword} or {SftpKeyFile} for the SFTP login.");
        }

        if (settings.HostKeySha256 is null)
        {
            throw new ArgumentException("Pass --sftp-host-key SHA256:… (the server's `ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub`): " +
                "the command line connects only to a server whose key you pinned.");
        }

        return new SftpStorageBackend(settings);
    }

    private static FtpStorageBackend Ftp(Uri uri, string? certificate, Func<string, string?> environment) => new(new FtpSettings
    {
        Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 21 : uri.Port, User = User(uri),
        Password = environment(FtpPassword) ?? throw new ArgumentException($"Set {FtpPassword} for the FTP login."),
        ExplicitTls = uri.Scheme == "ftps", CertificateSha256 = certificate, Root = Unescape(uri.AbsolutePath).Trim('/'),
    });

    private static S3StorageBackend S3(Uri uri, Func<string, string?> environment)
    {
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var endpoint = query["endpoint"];
        var accessKey = environment("AWS_ACCESS_KEY_ID");
        var secret = environment("AWS_SECRET_ACCESS_KEY");
        return new S3StorageBackend(new S3Settings
        {
            Bucket = uri.Host, Prefix = Unescape(uri.AbsolutePath).Trim('/'), ServiceUrl = endpoint, Region = query["region"] ?? "us-east-1",
            PathStyle = query["path-style"] is { } p ? bool.Parse(p) : endpoint is not null,
            AccessKeyId = accessKey, SecretAccessKey = secret, UseEnvironmentCredentials = accessKey is null || secret is null,
        });
    }

    private static string User(Uri uri) => uri.UserInfo.Length > 0 ? Unescape(uri.UserInfo) : throw new ArgumentException("Put the user name in the URL: scheme://user@host/path.");

    private static string SftpRoot(Uri uri)
    {
        var path = Unescape(uri.AbsolutePath);
        return path.StartsWith("/~/", StringComparison.Ordinal) || path == "/~" ? path[Math.Min(3, path.Length)..] : path.TrimEnd('/') is { Length: > 0 } p ? p : "/";
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    // A URL echoed in an error loses anything after "://user:" up to "@" (a password typed there by mistake).
    private static string Redact(string location)
    {
        var at = location.IndexOf('@', StringComparison.Ordinal);
        var colon = location.IndexOf(':', location.IndexOf("://", StringComparison.Ordinal) + 3);
        return at > 0 && colon > 0 && colon < at ? location[..colon] + ":***" + location[at..] : location;
    }
}
