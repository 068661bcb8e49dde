using System.Formats.Tar;

namespace BackupPanel.Core.Backups.Archiving;

/// <summary>
/// A restored tree waiting in its staging folder. <see cref="Commit"/> moves it into the target (replacing what is
/// there, never following a link in the target); disposing without committing removes every staged byte.
/// </summary>
public sealed class StagedTree : IDisposable
{
    private readonly string? _target;
    private readonly string? _staging;
    private readonly bool _createdTarget;
    private readonly ExtractOptions _options;
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly List<(string Path, TarEntry Entry)> _directories = [];
    private readonly List<string> _changes = [];
    private readonly List<string> _warnings = [];
    private long _entries;
    private long _bytes;
    private long _created;
    private long _replaced;
    private bool _done;

    internal StagedTree(string? target, string? staging, bool createdTarget, ExtractOptions options)
    {
        _target = target;
        _staging = staging;
        _createdTarget = createdTarget;
        _options = options;
    }

    /// <summary>What was staged (or planned, for a dry run).</summary>
    public ExtractResult Result => new(_entries, _bytes, _created, _replaced, _changes, _warnings);

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
            ApplyMetadata(Path.Combine(_target, path), entry, isDirectory: true);
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

        if (_createdTarget && _target is not null && Directory.Exists(_target) && !Directory.EnumerateFileSystemEntries(_target).Any())
        {
            Directory.Delete(_target);
        }
    }

    internal async Task AddAsync(TarEntry entry, CancellationToken ct)
    {
        var path = ArchivePath.Normalize(entry.Name);
        if (path.Length == 0)
        {
            return;
        }

        if (++_entries > _options.MaxEntries)
        {
            throw new UnsafeArchiveException($"The archive has more than {_options.MaxEntries} entries; nothing was restored.");
        }

        RefuseWritesThroughLinks(path);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                _links.Remove(path);
                _directories.Add((path, entry));
                if (_staging is not null)
                {
                    ReplaceWithDirectory(Path.Combine(_staging, path));
                }

                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await AddFileAsync(path, entry, ct).ConfigureAwait(false);
                break;
            case TarEntryType.SymbolicLink:
                AddLink(path, entry);
                break;
            case TarEntryType.HardLink:
                AddHardLink(path, entry);
                break;
            default:
                _warnings.Add($"{ArchivePath.Shorten(path)}: skipped, a {entry.EntryType} entry is not restored");
                break;
        }
    }

    private void RefuseWritesThroughLinks(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (_links.Contains(path[..slash]))
            {
                throw new UnsafeArchiveException($"The archive entry '{ArchivePath.Shorten(path)}' would be written through the link '{ArchivePath.Shorten(path[..slash])}'; nothing was restored.");
            }
        }
    }

    private async Task AddFileAsync(string path, TarEntry entry, CancellationToken ct)
    {
        _bytes += entry.Length;
        if (_bytes > _options.MaxBytes)
        {
            throw new UnsafeArchiveException($"The archive expands to more than {_options.MaxBytes:N0} bytes; nothing was restored.");
        }

        Plan(path);
        _links.Remove(path);
        _files.Add(path);
        if (_staging is null)
        {
            return;
        }

        var full = PrepareFile(path);
        var file = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(file, 1 << 16, ct).ConfigureAwait(false);
            }
        }

        ApplyMetadata(full, entry, isDirectory: false);
    }

    private void AddLink(string path, TarEntry entry)
    {
        Plan(path);
        _links.Add(path);
        _files.Remove(path);
        if (!ArchivePath.LinkStaysInside(path, entry.LinkName))
        {
            _warnings.Add($"{ArchivePath.Shorten(path)}: a link to '{ArchivePath.Shorten(entry.LinkName)}', outside the restored folder (restored as a link, not followed)");
        }

        if (_staging is not null)
        {
            var full = PrepareFile(path);
            File.CreateSymbolicLink(full, entry.LinkName);
            ApplyOwner(full, entry);
        }
    }

    private void AddHardLink(string path, TarEntry entry)
    {
        var source = ArchivePath.Normalize(entry.LinkName);
        if (!_files.Contains(source))
        {
            throw new UnsafeArchiveException($"The archive entry '{ArchivePath.Shorten(path)}' is a hard link to '{ArchivePath.Shorten(entry.LinkName)}', which is not a file restored before it; nothing was restored.");
        }

        Plan(path);
        _files.Add(path);
        if (_staging is not null)
        {
            // A copy, not a link: the restored tree must not share inodes with anything else.
            File.Copy(Path.Combine(_staging, source), PrepareFile(path));
        }
    }

    private void Plan(string path)
    {
        var exists = _target is not null && !_options.ClearTarget && UnixFile.TryLstat(Path.Combine(_target, path)) is not null;
        if (exists)
        {
            _replaced++;
        }
        else
        {
            _created++;
        }

        if (_changes.Count < _options.MaxListedChanges)
        {
            _changes.Add((exists ? "replace " : "create ") + path);
        }
    }

    private string PrepareFile(string path)
    {
        var full = Path.Combine(_staging!, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (UnixFile.TryLstat(full) is not null)
        {
            Remove(full);
        }

        return full;
    }

    private static void ReplaceWithDirectory(string full)
    {
        if (UnixFile.TryLstat(full) is { Type: not UnixFileType.Directory })
        {
            File.Delete(full);
        }

        Directory.CreateDirectory(full);
    }

    private void ApplyMetadata(string full, TarEntry entry, bool isDirectory)
    {
        File.SetUnixFileMode(full, entry.Mode);
        if (isDirectory)
        {
            Directory.SetLastWriteTimeUtc(full, entry.ModificationTime.UtcDateTime);
        }
        else
        {
            File.SetLastWriteTimeUtc(full, entry.ModificationTime.UtcDateTime);
        }

        ApplyOwner(full, entry);
    }

    private void ApplyOwner(string full, TarEntry entry)
    {
        if (!_options.RestoreOwners || !UnixFile.IsRoot || entry is not PosixTarEntry posix)
        {
            return;
        }

        var uid = OwnerNames.System.UserId(posix.UserName, posix.Uid);
        var gid = OwnerNames.System.GroupId(posix.GroupName, posix.Gid);
        if (!UnixFile.TryChangeOwner(full, uid, gid, out var error) && _warnings.Count < TreeArchiver.MaxWarnings)
        {
            _warnings.Add($"{ArchivePath.Shorten(posix.Name)}: owner {uid}:{gid} not set ({error})");
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
