using System.Formats.Tar;

namespace BackupPanel.Core.Archive;

/// <summary>
/// A restored tree waiting in its staging folder. <see cref="Commit"/> moves it into the target (replacing what is
/// there, never following a link in the target); disposing without committing removes every staged byte. Staging is
/// here, committing in StagedTree.Commit.cs.
/// </summary>
public sealed partial class StagedTree : IStaged
{
    private readonly string? _target;
    private readonly string? _staging;
    private readonly string? _createdTarget;
    private readonly ExtractOptions _options;
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);
    private readonly List<(string Path, TarEntry Entry)> _directories = [];
    private readonly List<string> _changes = [];
    private readonly List<string> _warnings = [];
    private string? _lastParent;
    private readonly bool _targetWasEmpty;
    private long _entries;
    private long _bytes;
    private long _created;
    private long _replaced;
    private bool _done;

    internal StagedTree(string? target, string? staging, string? createdTarget, ExtractOptions options)
    {
        _target = target;
        _staging = staging;
        _createdTarget = createdTarget;
        _options = options;
        _targetWasEmpty = target is not null && staging is not null
            && !Directory.EnumerateFileSystemEntries(target).Any(e => e != staging);
    }

    /// <summary>What was staged (or planned, for a dry run).</summary>
    public ExtractResult Result => new(_entries, _bytes, _created, _replaced, _changes, _warnings);

    internal void Add(TarEntry entry)
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
                    _lastParent = null;
                }

                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                AddFile(path, entry);
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

    private void AddFile(string path, TarEntry entry)
    {
        _bytes += entry.Length;
        if (_bytes > _options.MaxBytes)
        {
            throw new UnsafeArchiveException($"The archive expands to more than {_options.MaxBytes:N0} bytes; nothing was restored.");
        }

        Plan(path);
        _links.Remove(path);
        if (_staging is null)
        {
            return;
        }

        // Through the handle, not the path: fewer syscalls per file, and owner before mode, since chown clears setuid.
        using var file = Create(path, full => File.OpenHandle(full, FileMode.CreateNew, FileAccess.Write));
        if (entry.DataStream is { } data)
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
            long offset = 0;
            int read;
            while ((read = data.Read(buffer)) > 0)
            {
                UnixFile.WriteAt(file, buffer.AsSpan(0, read), offset);
                offset += read;
            }

            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        if (OwnerOf(entry) is var (uid, gid) && !UnixFile.TryChangeOwner(file, uid, gid, out var error))
        {
            WarnOwner(path, uid, gid, error);
        }

        File.SetUnixFileMode(file, entry.Mode);
        UnixFile.SetModifiedTime(file, entry.ModificationTime);
    }

    private void AddLink(string path, TarEntry entry)
    {
        Plan(path);
        _links.Add(path);
        if (!ArchivePath.LinkStaysInside(path, entry.LinkName))
        {
            _warnings.Add($"{ArchivePath.Shorten(path)}: a link to '{ArchivePath.Shorten(entry.LinkName)}', outside the restored folder (restored as a link, not followed)");
        }

        if (_staging is not null)
        {
            var link = Create(path, full => File.CreateSymbolicLink(full, entry.LinkName));
            ApplyOwner(link.FullName, path, entry);
        }
    }

    private void AddHardLink(string path, TarEntry entry)
    {
        var source = ArchivePath.Normalize(entry.LinkName);
        RefuseWritesThroughLinks(source + "/");
        if (_staging is not null && UnixFile.TryLstat(Path.Combine(_staging, source))?.Type != UnixFileType.RegularFile)
        {
            throw new UnsafeArchiveException($"The archive entry '{ArchivePath.Shorten(path)}' is a hard link to '{ArchivePath.Shorten(entry.LinkName)}', which is not a file restored before it; nothing was restored.");
        }

        Plan(path);
        _links.Remove(path);
        if (_staging is not null)
        {
            // A copy, not a link: the restored tree must not share inodes with anything else.
            Create(path, full => File.Copy(Path.Combine(_staging, source), full));
        }
    }

    private void Plan(string path)
    {
        var exists = _target is not null && !_options.ClearTarget && !_targetWasEmpty && UnixFile.TryLstat(Path.Combine(_target, path)) is not null;
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

    /// <summary>
    /// Creates a staged file, link or copy. Memory stays flat however many entries there are: no set of names is
    /// kept; a name that exists already (tar allows repeats, the last one wins) shows up as a failed create.
    /// </summary>
    private T Create<T>(string path, Func<string, T> create)
    {
        var full = Path.Combine(_staging!, path);
        var parent = Path.GetDirectoryName(full)!;
        if (parent != _lastParent)
        {
            Directory.CreateDirectory(parent);
            _lastParent = parent;
        }

        try
        {
            return create(full);
        }
        catch (IOException) when (UnixFile.TryLstat(full) is not null)
        {
            Remove(full);
            _lastParent = null;
            return create(full);
        }
    }

    private void Create(string path, Action<string> create) => Create(path, full =>
    {
        create(full);
        return true;
    });

    private static void ReplaceWithDirectory(string full)
    {
        if (UnixFile.TryLstat(full) is { Type: not UnixFileType.Directory })
        {
            File.Delete(full);
        }

        Directory.CreateDirectory(full);
    }

    private void ApplyDirectoryMetadata(string full, string path, TarEntry entry)
    {
        ApplyOwner(full, path, entry);
        File.SetUnixFileMode(full, entry.Mode);
        Directory.SetLastWriteTimeUtc(full, entry.ModificationTime.UtcDateTime);
    }

    private void ApplyOwner(string full, string path, TarEntry entry)
    {
        if (OwnerOf(entry) is var (uid, gid) && !UnixFile.TryChangeOwner(full, uid, gid, out var error))
        {
            WarnOwner(path, uid, gid, error);
        }
    }

    /// <summary>The owner to restore (by name when it exists here, else by id), or null when owners are not restored.</summary>
    private (int Uid, int Gid)? OwnerOf(TarEntry entry) =>
        _options.RestoreOwners && UnixFile.IsRoot && entry is PosixTarEntry posix
            ? (OwnerNames.System.UserId(posix.UserName, posix.Uid), OwnerNames.System.GroupId(posix.GroupName, posix.Gid))
            : null;

    private void WarnOwner(string path, int uid, int gid, string? error)
    {
        if (_warnings.Count < TreeArchiver.MaxWarnings)
        {
            _warnings.Add($"{ArchivePath.Shorten(path)}: owner {uid}:{gid} not set ({error})");
        }
    }
}
