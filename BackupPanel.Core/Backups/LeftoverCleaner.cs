using BackupPanel.Core.Backups.Archiving;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Removes backup folders of a domain that have no manifest: what crashed or killed runs left. Called while the
/// domain's lock is held, so no live run can be writing there.
/// </summary>
internal static class LeftoverCleaner
{
    public static async Task RemoveIncompleteAsync(IStorageBackend storage, string domainPrefix, RunLog log, CancellationToken ct)
    {
        var folders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var item in storage.ListAsync(domainPrefix, ct).ConfigureAwait(false))
        {
            var slash = item.Key.LastIndexOf('/');
            var folder = item.Key[..(slash + 1)];
            if (folder.Count(c => c == '/') != 4)
            {
                continue; // not <domain>/<yyyy>/<MM>/<stamp>_<id>/: not ours to judge
            }

            if (!folders.TryGetValue(folder, out var keys))
            {
                folders[folder] = keys = [];
            }

            keys.Add(item.Key);
        }

        foreach (var (folder, keys) in folders.Where(f => !f.Value.Any(k => k.EndsWith("/" + ArchiveManifest.FileName, StringComparison.Ordinal))))
        {
            foreach (var key in keys)
            {
                await storage.DeleteAsync(key, ct).ConfigureAwait(false);
            }

            log.Add($"Removed an incomplete backup folder left by an interrupted run: {folder} ({keys.Count} file(s)).");
        }
    }
}
