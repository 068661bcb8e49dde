namespace BackupPanel.Core.Archive;

// Committing a staged tree into its target, or throwing it away.
public sealed partial class StagedTree
{
    /// <summary>Moves the staged tree into the target and applies folder permissions and times. Dry run: nothing.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        if (_staging is null || _target is null)
        {
            return;
        }

        if (_options.ClearTarget)
        {
            foreach (var child in new DirectoryInfo(_target).EnumerateFileSystemInfos().Where(c => c.FullName != _staging))
            {
                Remove(child.FullName);
            }
        }

        MergeInto(_staging, _target);
        Directory.Delete(_staging, recursive: true);
        foreach (var (path, entry) in _directories.OrderByDescending(d => d.Path.Length))
        {
            ApplyDirectoryMetadata(Path.Combine(_target, path), path, entry);
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
        if (_staging is not null && Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }

        if (_createdTarget is not null && _target is not null)
        {
            CreatedFolders.RemoveIfEmpty(_target, _createdTarget);
        }
    }

    /// <summary>Moves staged entries into the target, merging folders and replacing anything else, links included.</summary>
    private static void MergeInto(string from, string to)
    {
        foreach (var source in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(to, source.Name);
            var existing = UnixFile.TryLstat(destination);
            var isRealDirectory = source is DirectoryInfo && source.LinkTarget is null;
            if (isRealDirectory && existing?.Type == UnixFileType.Directory)
            {
                MergeInto(source.FullName, destination);
                continue;
            }

            if (existing is not null)
            {
                Remove(destination);
            }

            if (isRealDirectory)
            {
                Directory.Move(source.FullName, destination);
            }
            else if (source.LinkTarget is { } link)
            {
                // File.Move refuses a link whose target is not there (a sibling folder merged a moment ago): recreate it.
                File.CreateSymbolicLink(destination, link);
                File.Delete(source.FullName);
            }
            else
            {
                File.Move(source.FullName, destination);
            }
        }
    }

    private static void Remove(string path)
    {
        if (UnixFile.TryLstat(path) is { Type: UnixFileType.Directory })
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }
}
