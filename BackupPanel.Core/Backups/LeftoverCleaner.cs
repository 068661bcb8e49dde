using BackupPanel.Core.Archive;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Removes backup folders that have no manifest: what crashed or killed runs left. A run calls it for its domain
/// while holding the domain's lock; the nightly job calls it for whole destinations, for folders untouched for a day.
/// </summary>
internal static partial class LeftoverCleaner
{
    public static async Task RemoveIncompleteAsync(IStorageBackend storage, string domainPrefix, RunLog log, CancellationToken ct)
    {
        foreach (var (folder, keys) in await IncompleteAsync(storage, domainPrefix, ct).ConfigureAwait(false))
        {
            await DeleteAsync(storage, keys, ct).ConfigureAwait(false);
            log.Add($"Removed an incomplete backup folder left by an interrupted run: {folder} ({keys.Count} file(s)).");
        }
    }

    /// <summary>
    /// Incomplete folders anywhere at the destination, last written before <paramref name="before"/>, that the catalog
    /// knows as runs of its own that ended (<paramref name="ours"/>): a folder someone else keeps there is never touched,
    /// however it is named.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveStaleAsync(IStorageBackend storage, DateTimeOffset before, IReadOnlySet<string> ours, CancellationToken ct)
    {
        var removed = new List<string>();
        foreach (var (folder, keys) in await IncompleteAsync(storage, "", ct).ConfigureAwait(false))
        {
            if (!ours.Contains(folder) || keys.Any(k => k.LastModified >= before))
            {
                continue; // a run may still be writing there
            }

            await DeleteAsync(storage, keys, ct).ConfigureAwait(false);
            removed.Add($"{folder} ({keys.Count} file(s))");
        }

        return removed;
    }

    private static async Task<List<(string Folder, List<StorageObjectInfo> Keys)>> IncompleteAsync(IStorageBackend storage, string prefix, CancellationToken ct)
    {
        var folders = new Dictionary<string, List<StorageObjectInfo>>(StringComparer.Ordinal);
        await foreach (var item in storage.ListAsync(prefix, ct).ConfigureAwait(false))
        {
            var slash = item.Key.LastIndexOf('/');
            var folder = item.Key[..(slash + 1)];
            if (!BackupFolder().IsMatch(folder))
            {
                continue; // not <domain>/<yyyy>/<MM>/<stamp>_<id>/ as the panel names its folders: not ours to judge
            }

            if (!folders.TryGetValue(folder, out var keys))
            {
                folders[folder] = keys = [];
            }

            keys.Add(item);
        }

        return [.. folders.Where(f => !f.Value.Any(k => k.Key.EndsWith("/" + ArchiveManifest.FileName, StringComparison.Ordinal))).Select(f => (f.Key, f.Value))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[^/]+/[0-9]{4}/[0-9]{2}/[0-9]{8}T[0-9]{6}Z_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/\z")]
    private static partial System.Text.RegularExpressions.Regex BackupFolder();

    private static async Task DeleteAsync(IStorageBackend storage, List<StorageObjectInfo> keys, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            await storage.DeleteAsync(key.Key, ct).ConfigureAwait(false);
        }
    }
}
