namespace BackupPanel.Core.Storage;

/// <summary>
/// Key-to-path rules shared by the backends over a remote file tree (SFTP, FTP): objects live under a root folder,
/// uploads go to <c>&lt;root&gt;/.partial/</c> first and are renamed into place, and a listing starts at the deepest
/// folder a prefix names.
/// </summary>
public static class RemotePath
{
    /// <summary>Where uploads are written before the rename; never listed.</summary>
    public const string PartialFolder = ".partial";

    /// <summary>
    /// A root folder as entered ("" = the login folder, "backups", "/srv/backups/"): trimmed, without trailing
    /// slashes, no "." or ".." segments and no control characters.
    /// </summary>
    public static string NormalizeRoot(string? root)
    {
        var trimmed = (root ?? "").Trim();
        if (trimmed.Any(char.IsControl) || trimmed.Contains('\\', StringComparison.Ordinal) || trimmed.Split('/').Any(s => s is "." or ".."))
        {
            throw new StorageException(StorageErrorKind.Permanent, "The remote folder must be a plain path without '.', '..', backslashes or control characters.");
        }

        return trimmed.Length > 1 ? trimmed.TrimEnd('/') : trimmed;
    }

    /// <summary>The remote path of <paramref name="relative"/> under <paramref name="root"/>.</summary>
    public static string Combine(string root, string relative) => root switch
    {
        "" => relative,
        "/" => "/" + relative,
        _ => root + "/" + relative,
    };

    /// <summary>The folder of a key ("" for a key at the root).</summary>
    public static string FolderOf(string key) => key.LastIndexOf('/') is var slash and >= 0 ? key[..slash] : "";

    /// <summary>The folder to start listing <paramref name="prefix"/> from: everything before its last '/'.</summary>
    public static string ListStart(string prefix) => FolderOf(prefix) is { Length: > 0 } folder ? StorageKey.Validate(folder) : "";

    /// <summary>A fresh temporary name for an upload (in <see cref="PartialFolder"/>).</summary>
    public static string NewPartialKey() => PartialFolder + "/" + Guid.NewGuid().ToString("N") + ".part";

    /// <summary>The folders between the root and <paramref name="key"/>'s folder, outermost first ("a", "a/b").</summary>
    public static IEnumerable<string> FoldersOf(string key)
    {
        var folder = FolderOf(key);
        for (var i = 0; i < folder.Length; i++)
        {
            if (folder[i] == '/')
            {
                yield return folder[..i];
            }
        }

        if (folder.Length > 0)
        {
            yield return folder;
        }
    }
}
