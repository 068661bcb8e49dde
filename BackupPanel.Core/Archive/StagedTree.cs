using System.Formats.Tar;

namespace BackupPanel.Core.Archive;

/// <summary>
/// A restored tree waiting in its staging folder. <see cref="Commit"/> moves it into the target (replacing what is
/// there, never following a link in the target); disposing without committing removes every staged byte. Every
/// operation goes through folder descriptors (<see cref="DirectoryHandle"/>): the staging folder is made by this
/// process with mode 0700 and reached only through its descriptor, the target only beneath its own, so a tenant who
/// swaps the target, a folder in it or the staging folder for a link makes nothing be written anywhere else. Staging
/// is here, committing in StagedTree.Commit.cs, owners and modes in StagedTree.Owners.cs, the folder walk in
/// StagedTree.FolderCache.cs.
/// </summary>
public sealed partial class StagedTree : IStaged
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int AlreadyExists = 17; // EEXIST
    private readonly string? _targetPath;
    private readonly DirectoryHandle? _target;
    private readonly DirectoryHandle? _staging;
    private readonly string? _stagingName;
    private readonly string? _createdTop;
    private readonly ExtractOptions _options;
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);
    private readonly List<(string Path, TarEntry Entry)> _directories = [];
    private readonly List<string> _changes = [];
    private readonly List<string> _warnings = [];
    private readonly bool _targetWasEmpty;
    private readonly FolderCache _stagingFolders;
    private readonly FolderCache? _targetFolders;
    private long _entries;
    private long _bytes;
    private long _created;
    private long _replaced;
    private long _ownersMapped;
    private long _specialBitsDropped;
    private bool _done;

    internal StagedTree(string? targetPath, DirectoryHandle? target, DirectoryHandle? staging, string? stagingName, string? createdTop, ExtractOptions options)
    {
        _targetPath = targetPath;
        _target = target;
        _staging = staging;
        _stagingName = stagingName;
        _createdTop = createdTop;
        _options = options;
        _stagingFolders = new FolderCache(staging, create: true);
        _targetFolders = target is null ? null : new FolderCache(target, create: false);
        _targetWasEmpty = target is null || target.List().All(e => e.Name == stagingName);
    }

    /// <summary>What was staged (or planned, for a dry run).</summary>
    public ExtractResult Result => new(_entries, _bytes, _created, _replaced, _changes, _warnings)
    {
        OwnersMapped = _ownersMapped, SpecialBitsDropped = _specialBitsDropped,
    };

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
                    ReplaceWithDirectory(path);
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

        // Through the handle: owner before mode, since chown clears setuid.
        var (parent, name) = _stagingFolders.ParentOf(path);
        using var file = Create(parent, name, () => parent.CreateFile(name, UnixFileMode.UserRead | UnixFileMode.UserWrite));
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

        var owner = OwnerOf(entry);
        if (owner is var (uid, gid) && !UnixFile.TryChangeOwner(file, uid, gid, out var error))
        {
            WarnOwner(path, uid, gid, error);
        }

        File.SetUnixFileMode(file, ModeOf(entry.Mode, owner)); // on the open handle (fchmod): no path is resolved
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

        if (_staging is null)
        {
            return;
        }

        var (parent, name) = _stagingFolders.ParentOf(path);
        Create(parent, name, () =>
        {
            parent.CreateSymbolicLink(name, entry.LinkName);
            return true;
        });
        if (OwnerOf(entry) is var (uid, gid) && !parent.TryChangeOwner(name, uid, gid, out var error))
        {
            WarnOwner(path, uid, gid, error);
        }
    }

    private void AddHardLink(string path, TarEntry entry)
    {
        var source = ArchivePath.Normalize(entry.LinkName);
        RefuseWritesThroughLinks(source + "/");
        if (_staging is not null && (source.Length == 0 || _staging.StatBeneath(source)?.Type != UnixFileType.RegularFile))
        {
            throw new UnsafeArchiveException($"The archive entry '{ArchivePath.Shorten(path)}' is a hard link to '{ArchivePath.Shorten(entry.LinkName)}', which is not a file restored before it; nothing was restored.");
        }

        Plan(path);
        _links.Remove(path);
        if (_staging is null)
        {
            return;
        }

        // A copy, not a link: the restored tree must not share inodes with anything else.
        var (sourceParent, sourceName) = _stagingFolders.ParentOf(source);
        using var from = sourceParent.OpenFile(sourceName);
        var status = UnixFile.Stat(from);
        var (parent, name) = _stagingFolders.ParentOf(path);
        using var to = Create(parent, name, () => parent.CreateFile(name, UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        long offset = 0;
        int read;
        while ((read = UnixFile.ReadAt(from, buffer, offset)) > 0)
        {
            UnixFile.WriteAt(to, buffer.AsSpan(0, read), offset);
            offset += read;
        }

        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        if (UnixFile.IsRoot && !UnixFile.TryChangeOwner(to, status.Uid, status.Gid, out var error))
        {
            WarnOwner(path, status.Uid, status.Gid, error);
        }

        File.SetUnixFileMode(to, status.Mode); // the file it copies had its owner and bits settled already
        UnixFile.SetModifiedTime(to, status.ModifiedUtc);
    }

    private void Plan(string path)
    {
        var exists = _targetFolders is not null && !_options.ClearTarget && !_targetWasEmpty && _targetFolders.Exists(path);
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
    /// Creates a staged file or link. Memory stays flat however many entries there are: no set of names is kept; a
    /// name that exists already (tar allows repeats, the last one wins) shows up as a failed create.
    /// </summary>
    private static T Create<T>(DirectoryHandle parent, string name, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (IOException ex) when (ex.HResult == AlreadyExists)
        {
            parent.Delete(name);
            return create();
        }
    }

    private void ReplaceWithDirectory(string path)
    {
        var (parent, name) = _stagingFolders.ParentOf(path);
        if (parent.Stat(name) is { Type: not UnixFileType.Directory })
        {
            parent.Delete(name);
        }

        parent.CreateDirectory(name, Private).Dispose();
    }
}
