using BackupPanel.Core.Archive;

namespace BackupPanel.Core.Import;

/// <summary>
/// An unpacked archive (a cPanel account folder, say) walked like a tar: depth first, names sorted, links never
/// followed, nested archives opened in place like <see cref="ArchiveWalker"/> does for tars.
/// </summary>
internal static class FolderWalk
{
    public static void Run(string root, string prefix, ArchiveWalker.WalkState walk)
    {
        var pending = new Stack<(string Dir, string Prefix)>();
        pending.Push((root, prefix));
        while (pending.TryPop(out var current))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(current.Dir).Order(StringComparer.Ordinal).Reverse())
            {
                walk.Ct.ThrowIfCancellationRequested();
                walk.Guard.CountEntry();
                var status = UnixFile.Lstat(path);
                var name = current.Prefix + Path.GetFileName(path);
                switch (status.Type)
                {
                    case UnixFileType.Directory:
                        walk.Visit(new WalkEntry(name, WalkEntryKind.Directory, 0, null, status.ModifiedUtc, status.Mode), null);
                        pending.Push((path, name + "/"));
                        break;
                    case UnixFileType.RegularFile:
                        File(path, name, status, walk);
                        break;
                    case UnixFileType.SymbolicLink when ArchiveWalker.LinkOf(new FileInfo(path).LinkTarget ?? "", WalkEntryKind.SymbolicLink, "", name, walk) is { } target:
                        walk.Visit(new WalkEntry(name, WalkEntryKind.SymbolicLink, 0, target, status.ModifiedUtc, status.Mode), null);
                        break;
                    case UnixFileType.SymbolicLink:
                        break; // LinkOf warned
                    default:
                        walk.Warn($"Skipped {name}: a {status.Type} (device files, FIFOs and the like are never imported).");
                        break;
                }
            }
        }
    }

    private static void File(string path, string name, UnixFileStatus status, ArchiveWalker.WalkState walk)
    {
        using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (walk.Descend(name))
        {
            ArchiveWalker.ReadNested(data, name, 0, walk);
            return;
        }

        walk.Visit(new WalkEntry(name, WalkEntryKind.File, status.Size, null, status.ModifiedUtc, status.Mode), data);
    }
}
