using BackupPanel.Core.Destinations.Kinds.Ftp;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Destinations.Kinds.S3;
using BackupPanel.Core.Destinations.Kinds.Sftp;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// Every kind of destination, and the one factory that turns a stored destination (the panel) or a location (the
/// command line: a folder, or a URL such as <c>sftp://user@host:port/path</c>) into a storage backend.
/// </summary>
public static class DestinationKinds
{
    /// <summary>The kinds, in the order the form offers them. A new kind is one folder under Kinds/ and one entry here.</summary>
    public static readonly IReadOnlyList<DestinationKind> All = [new LocalKind(), new SftpKind(), new FtpKind(), new S3Kind()];

    /// <summary>The kind named <paramref name="name"/>; a <see cref="StorageException"/> (Permanent) for one this panel does not know.</summary>
    public static DestinationKind Get(string name) => Find(name)
        ?? throw new StorageException(StorageErrorKind.Permanent, $"Destinations of kind {name} are not supported.");

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public static DestinationKind? Find(string? name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>True when <paramref name="location"/> is a URL rather than a folder.</summary>
    public static bool IsUrl(string location) => location?.Contains("://", StringComparison.Ordinal) == true;

    /// <summary>
    /// The backend for a command-line <paramref name="location"/>: a folder, or a URL of one of the kinds' schemes
    /// (remote ones wrapped in the retry decorator). Throws <see cref="ArgumentException"/> for a malformed URL, a
    /// password inside it, an unknown scheme, or a missing host key or secret.
    /// </summary>
    public static IStorageBackend OpenUrl(string location, UrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(options);
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
            var variable = uri.Scheme == "sftp" ? SftpKind.PasswordVariable : uri.Scheme.StartsWith("ftp", StringComparison.Ordinal) ? FtpKind.PasswordVariable : "AWS_SECRET_ACCESS_KEY";
            throw new ArgumentException($"Passwords never go on the command line: remove it from the URL and set {variable}.");
        }

        var schemes = All.SelectMany(k => k.Schemes).Select(s => s + "://").ToList();
        var kind = All.FirstOrDefault(k => k.Schemes.Contains(uri.Scheme))
            ?? throw new ArgumentException($"Unknown destination scheme '{uri.Scheme}': use a folder, {string.Join(", ", schemes[..^1])} or {schemes[^1]}.");
        var backend = kind.OpenUrl(uri, options);
        return kind.IsRemote ? new RetryingStorageBackend(backend, RetryPolicy.Default, TimeProvider.System, options.OnRetry) : backend;
    }

    // A URL echoed in an error loses anything after "://user:" up to "@" (a password typed there by mistake).
    private static string Redact(string location)
    {
        var at = location.IndexOf('@', StringComparison.Ordinal);
        var colon = location.IndexOf(':', location.IndexOf("://", StringComparison.Ordinal) + 3);
        return at > 0 && colon > 0 && colon < at ? location[..colon] + ":***" + location[at..] : location;
    }
}
