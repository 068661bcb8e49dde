using System.Formats.Tar;

namespace BackupPanel.Core.Archive;

// Committing a staged tree into its target, or throwing it away.
public sealed partial class StagedTree
{
    /// <summary>Moves the staged tree into the target and applies folder permissions and times. Dry run: nothing.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            if (_staging is null || _target is null)
            {
                return;
            }

            _stagingFolders.Dispose();
            _targetFolders?.Dispose();
            if (_options.ClearTarget)
            {
                foreach (var (name, _) in _target.List().Where(e => e.Name != _stagingName))
                {
                    _target.Delete(name);
                }
            }

            MergeInto(_staging, _target);
            _staging.Clear();
            _target.RemoveEmptyDirectory(_stagingName!);
            foreach (var (path, entry) in _directories.OrderByDescending(d => d.Path.Length))
            {
                ApplyDirectoryMetadata(path, entry);
            }
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Removes the staged data unless it was committed.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        try
        {
            if (_staging is not null)
            {
                _staging.Clear();
                _target!.RemoveEmptyDirectory(_stagingName!);
            }

            if (_createdTop is not null && _targetPath is not null)
            {
                CreatedFolders.RemoveIfEmpty(_targetPath, _createdTop);
            }
        }
        finally
        {
            Close();
        }
    }

    private void Close()
    {
        _stagingFolders.Dispose();
        _targetFolders?.Dispose();
        _staging?.Dispose();
        _target?.Dispose();
    }

    /// <summary>
    /// Moves staged entries into the target, merging folders and replacing anything else, links included: a rename
    /// replaces a file or link in one step and never follows it; both sides are reached through descriptors.
    /// </summary>
    private static void MergeInto(DirectoryHandle from, DirectoryHandle to)
    {
        foreach (var (name, _) in from.List())
        {
            var source = from.Stat(name);
            var existing = to.Stat(name);
            if (source?.Type == UnixFileType.Directory && existing?.Type == UnixFileType.Directory)
            {
                using var fromChild = from.OpenDirectory(name);
                using var toChild = to.OpenDirectory(name);
                MergeInto(fromChild, toChild);
                continue;
            }

            if (existing is not null && (existing.Value.Type == UnixFileType.Directory || source?.Type == UnixFileType.Directory))
            {
                to.Delete(name);
            }

            from.Rename(name, to, name);
        }
    }

    /// <summary>
    /// Owner, mode and time of a restored folder, set through a descriptor opened beneath the target: a folder swapped
    /// for a link since it was moved in is not followed; it is left as it is, with a warning.
    /// </summary>
    private void ApplyDirectoryMetadata(string path, TarEntry entry)
    {
        try
        {
            using var folder = _target!.TryOpenBeneath(path);
            if (folder is null)
            {
                return;
            }

            var owner = OwnerOf(entry);
            if (owner is var (uid, gid) && !folder.TryChangeOwner(uid, gid, out var error))
            {
                WarnOwner(path, uid, gid, error);
            }

            folder.SetMode(ModeOf(entry.Mode, owner));
            folder.SetModifiedTime(entry.ModificationTime);
        }
        catch (IOException ex) when (_warnings.Count < TreeArchiver.MaxWarnings)
        {
            _warnings.Add($"{ArchivePath.Shorten(path)}: changed while it was restored; its permissions and time were not set ({ex.Message})");
        }
    }
}
