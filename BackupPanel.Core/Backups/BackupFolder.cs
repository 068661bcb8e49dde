using BackupPanel.Core.Archive;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Backups;

/// <summary>A backup's folder at one destination.</summary>
public static class BackupFolder
{
    /// <summary>Deletes the folder's files, manifest first, so a half-deleted folder never looks complete.</summary>
    public static async Task DeleteAsync(IStorageBackend backend, string folderKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backend);
        await backend.DeleteAsync(folderKey + ArchiveManifest.FileName, ct).ConfigureAwait(false);
        await foreach (var item in backend.ListAsync(folderKey, ct).ConfigureAwait(false))
        {
            await backend.DeleteAsync(item.Key, ct).ConfigureAwait(false);
        }
    }
}
