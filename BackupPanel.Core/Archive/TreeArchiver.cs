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

    /// <summary>Archives everything under <paramref name="root"/> into <paramref name="tar"/> (left open).</summary>
    public static Task<TreeArchiveResult> WriteAsync(string root, ExcludeFilter excludes, Stream tar, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(excludes);
        var rootStatus = UnixFile.TryLstat(root);
        if (rootStatus?.Type != UnixFileType.Directory)
        {
            throw new DirectoryNotFoundException($"The folder '{root}' does not exist or is not a folder.");
        }

        // Synchronous I/O inside, like TreeExtractor and for the same measured reason; it runs on the caller's thread,
        // which in a backup is the producer stage's own (ArchiveWriter).
        var state = new WalkState(excludes);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            WriteDirectoryContents(writer, root, "", state, ct);
        }

        if (state.Warnings.Count == MaxWarnings && state.WarningCount > MaxWarnings)
        {
            state.Warnings.Add($"… and {state.WarningCount - MaxWarnings} more warnings.");
        }

        return Task.FromResult(new TreeArchiveResult(state.Entries, state.FileBytes, state.Warnings));
    }

    private static void WriteDirectoryContents(TarWriter writer, string directory, string prefix, WalkState state, CancellationToken ct)
    {
        string[] names;
        try
        {
            names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{prefix}: folder not readable, its contents are missing ({ex.Message})");
            return;
        }

        foreach (var name in names)
        {
            ct.ThrowIfCancellationRequested();
            WriteEntry(writer, Path.Combine(directory, name), prefix + name, state, ct);
        }
    }

    private static void WriteEntry(TarWriter writer, string path, string name, WalkState state, CancellationToken ct)
    {
        UnixFileStatus status;
        try
        {
            status = UnixFile.Lstat(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{name}: skipped, cannot read its attributes ({ex.Message})");
            return;
        }

        if (state.Excludes.IsExcluded(name, status.Type == UnixFileType.Directory))
        {
            return;
        }

        switch (status.Type)
        {
            case UnixFileType.Directory:
                writer.WriteEntry(NewEntry(TarEntryType.Directory, name + "/", status));
                state.Entries++;
                WriteDirectoryContents(writer, path, name + "/", state, ct);
                break;
            case UnixFileType.SymbolicLink:
                var link = NewEntry(TarEntryType.SymbolicLink, name, status);
                link.LinkName = new FileInfo(path).LinkTarget ?? "";
                writer.WriteEntry(link);
                state.Entries++;
                break;
            case UnixFileType.RegularFile:
                WriteFile(writer, path, name, status, state);
                break;
            default:
                state.Warn($"{name}: skipped, a {status.Type} is not backed up");
                break;
        }
    }

    private static void WriteFile(TarWriter writer, string path, string name, UnixFileStatus status, WalkState state)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle file;
        try
        {
            file = UnixFile.OpenForReading(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warn($"{name}: skipped, not readable ({ex.Message})");
            return;
        }

        using var data = new ExactLengthStream(file, status.Size);
        var entry = NewEntry(TarEntryType.RegularFile, name, status);
        entry.DataStream = data;
        writer.WriteEntry(entry);
        state.Entries++;
        state.FileBytes += data.Length;
        if (data.Changed)
        {
            state.Warn($"{name}: changed while it was read; the copy may be inconsistent");
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
