using BackupPanel.Core.Archive;

namespace BackupPanel.Core.Import;

/// <summary>
/// An unpacked archive (a cPanel account folder, say) walked like a tar: depth first, names sorted, links never
/// followed, nested archives opened in place like <see cref="ArchiveWalker"/> does for tars.
/// </summary>
internal static class FolderWalk
{
    public static void Run(DirectoryHandle folder, string prefix, ArchiveWalker.WalkState walk)
    {
        // Every folder is opened from its parent's descriptor and no link is followed: the folder may be a tenant's.
        // One descriptor per level: a folder's subfolders are walked after its own entries, each opened in turn.
        var subfolders = new List<string>();
        foreach (var (child, _) in folder.List().OrderByDescending(e => e.Name, StringComparer.Ordinal))
        {
            walk.Ct.ThrowIfCancellationRequested();
            walk.Guard.CountEntry();
            var status = folder.Stat(child);
            var name = prefix + child;
            switch (status?.Type)
            {
                case null:
                    break; // gone since the listing
                case UnixFileType.Directory:
                    walk.Visit(new WalkEntry(name, WalkEntryKind.Directory, 0, null, status.Value.ModifiedUtc, status.Value.Mode), null);
                    subfolders.Add(child);
                    break;
                case UnixFileType.RegularFile:
                    File(folder, child, name, walk);
                    break;
                case UnixFileType.SymbolicLink when ArchiveWalker.LinkOf(folder.ReadLink(child), WalkEntryKind.SymbolicLink, "", name, walk) is { } target:
                    walk.Visit(new WalkEntry(name, WalkEntryKind.SymbolicLink, 0, target, status.Value.ModifiedUtc, status.Value.Mode), null);
                    break;
                case UnixFileType.SymbolicLink:
                    break; // LinkOf warned
                default:
                    walk.Warn($"Skipped {name}: a {status.Value.Type} (device files, FIFOs and the like are never imported).");
                    break;
            }
        }

        for (var i = subfolders.Count - 1; i >= 0; i--)
        {
            using var child = folder.OpenDirectory(subfolders[i]);
            Run(child, prefix + subfolders[i] + "/", walk);
        }
    }

    private static void File(DirectoryHandle folder, string child, string name, ArchiveWalker.WalkState walk)
    {
        var handle = folder.OpenFile(child);
        var status = UnixFile.Stat(handle);
        using var data = new FileStream(handle, FileAccess.Read, 1 << 16);
        if (status.Type != UnixFileType.RegularFile)
        {
            walk.Warn($"Skipped {name}: it became a {status.Type} while it was read.");
            return;
        }

        if (walk.Descend(name))
        {
            ArchiveWalker.ReadNested(data, name, 0, walk);
            return;
        }

        walk.Visit(new WalkEntry(name, WalkEntryKind.File, status.Size, null, status.ModifiedUtc, status.Mode), data);
    }
}
