using System.Formats.Tar;

namespace BackupPanel.Core.Archive;

/// <summary>What a tree walk wrote, and what it had to leave out.</summary>
/// <param name="Entries">Entries written (folders, files, links).</param>
/// <param name="FileBytes">Bytes of file content written.</param>
/// <param name="Warnings">Unreadable, special or changing files, one line each (capped).</param>
public sealed record TreeArchiveResult(long Entries, long FileBytes, IReadOnlyList<string> Warnings);

/// <summary>
/// Writes a folder tree as a POSIX PAX tar: names of any length and script, symbolic links stored as links, empty
/// folders, permissions, modification times and owners (ids and names). Sockets, FIFOs and devices are skipped with
/// a warning, and so are files that cannot be read; the walk never follows a link.
/// </summary>
public static class TreeArchiver
{
    /// <summary>At most this many warnings are kept word for word; the rest are counted.</summary>
    public const int MaxWarnings = 200;

    /// <summary>
    /// Archives everything under <paramref name="root"/> into <paramref name="tar"/> (left open). The root must be a
    /// real folder (no link in any part of its path); below it, every folder is opened from its parent's descriptor
    /// and no link is ever followed, however the tree changes while it is read (<see cref="DirectoryHandle"/>).
    /// </summary>
    public static Task<TreeArchiveResult> WriteAsync(string root, ExcludeFilter excludes, Stream tar, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(excludes);
        DirectoryHandle folder;
        try
        {
            folder = DirectoryHandle.OpenReal(root);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new DirectoryNotFoundException($"The folder '{root}' does not exist or is not a folder.", ex);
        }

        // Synchronous I/O inside, like TreeExtractor and for the same measured reason; it runs on the caller's thread,
        // which in a backup is the producer stage's own (ArchiveWriter).
        var state = new WalkState(excludes);
        using (folder)
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            WriteDirectoryContents(writer, folder, "", state, ct);
        }

        if (state.Warnings.Count == MaxWarnings && state.WarningCount > MaxWarnings)
        {
            state.Warnings.Add($"… and {state.WarningCount - MaxWarnings} more warnings.");
        }

        return Task.FromResult(new TreeArchiveResult(state.Entries, state.FileBytes, state.Warnings));
    }

    private static void WriteDirectoryContents(TarWriter writer, DirectoryHandle folder, string prefix, WalkState state, CancellationToken ct)
    {
        List<(string Name, UnixFileType Type)> entries;
        try
        {
            entries = folder.List();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{prefix}: folder not readable, its contents are missing ({ex.Message})");
            return;
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var (name, type) in entries)
        {
            ct.ThrowIfCancellationRequested();
            WriteEntry(writer, folder, name, type, prefix + name, state, ct);
        }
    }

    private static void WriteEntry(TarWriter writer, DirectoryHandle folder, string name, UnixFileType listedType, string path, WalkState state, CancellationToken ct)
    {
        // A file listed as one is opened first and its status read from the open descriptor: what is read is what is
        // described, whatever the name was swapped for in between (one call per file, as a status by name would be).
        if (listedType == UnixFileType.RegularFile)
        {
            if (!state.Excludes.IsExcluded(path, false))
            {
                WriteFile(writer, folder, name, path, state);
            }

            return;
        }

        UnixFileStatus status;
        try
        {
            if (folder.Stat(name) is not { } found)
            {
                return; // gone since the listing
            }

            status = found;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{path}: skipped, cannot read its attributes ({ex.Message})");
            return;
        }

        if (state.Excludes.IsExcluded(path, status.Type == UnixFileType.Directory))
        {
            return;
        }

        switch (status.Type)
        {
            case UnixFileType.Directory:
                WriteDirectory(writer, folder, name, path, status, state, ct);
                break;
            case UnixFileType.SymbolicLink:
                WriteLink(writer, folder, name, path, status, state);
                break;
            case UnixFileType.RegularFile:
                WriteFile(writer, folder, name, path, state);
                break;
            default:
                state.Warn($"{path}: skipped, a {status.Type} is not backed up");
                break;
        }
    }

    private static void WriteDirectory(TarWriter writer, DirectoryHandle folder, string name, string path, UnixFileStatus status, WalkState state, CancellationToken ct)
    {
        DirectoryHandle? child;
        try
        {
            child = folder.TryOpenDirectory(name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{path}: folder not readable, its contents are missing ({ex.Message})");
            child = null;
        }

        writer.WriteEntry(NewEntry(TarEntryType.Directory, path + "/", status));
        state.Entries++;
        if (child is not null)
        {
            using (child)
            {
                WriteDirectoryContents(writer, child, path + "/", state, ct);
            }
        }
    }

    private static void WriteLink(TarWriter writer, DirectoryHandle folder, string name, string path, UnixFileStatus status, WalkState state)
    {
        string target;
        try
        {
            target = folder.ReadLink(name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{path}: skipped, the link cannot be read ({ex.Message})");
            return;
        }

        var link = NewEntry(TarEntryType.SymbolicLink, path, status);
        link.LinkName = target;
        writer.WriteEntry(link);
        state.Entries++;
    }

    private static void WriteFile(TarWriter writer, DirectoryHandle folder, string name, string path, WalkState state)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle file;
        UnixFileStatus status;
        try
        {
            file = folder.OpenFile(name);
        }
        catch (SymbolicLinkRefusedException)
        {
            state.Warn($"{path}: skipped, it became a symbolic link while it was being backed up (not followed)");
            return;
        }
        catch (DirectoryNotFoundException)
        {
            return; // gone since the listing
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{path}: skipped, not readable ({ex.Message})");
            return;
        }

        using (file)
        {
            status = UnixFile.Stat(file);
            if (status.Type != UnixFileType.RegularFile)
            {
                state.Warn($"{path}: skipped, it became a {status.Type} while it was being backed up");
                return;
            }

            using var data = new ExactLengthStream(file, status.Size);
            var entry = NewEntry(TarEntryType.RegularFile, path, status);
            entry.DataStream = data;
            writer.WriteEntry(entry);
            state.Entries++;
            state.FileBytes += data.Length;
            if (data.Changed)
            {
                state.Warn($"{path}: changed while it was read; the copy may be inconsistent");
            }
        }
    }

    private static PaxTarEntry NewEntry(TarEntryType type, string name, UnixFileStatus status) => new(type, name)
    {
        Mode = status.Mode,
        ModificationTime = status.ModifiedUtc,
        Uid = status.Uid,
        Gid = status.Gid,
        UserName = OwnerNames.System.UserName(status.Uid),
        GroupName = OwnerNames.System.GroupName(status.Gid),
    };

    private sealed class WalkState(ExcludeFilter excludes)
    {
        public ExcludeFilter Excludes { get; } = excludes;
        public List<string> Warnings { get; } = [];
        public long Entries { get; set; }
        public long FileBytes { get; set; }
        public long WarningCount { get; private set; }

        public void Warn(string message)
        {
            WarningCount++;
            if (Warnings.Count < MaxWarnings)
            {
                Warnings.Add(message);
            }
        }
    }
}
