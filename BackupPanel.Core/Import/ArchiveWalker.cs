using System.Formats.Tar;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Import;

/// <summary>What a walk found out about the archive as a whole.</summary>
public sealed record WalkResult(string Compression, long ArchiveBytes, long UnpackedBytes, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads an archive to import in one forward pass, streaming: a tar file (plain, gzip or zstd, told by content), or
/// an unpacked folder. Nested archives that <c>descend</c> names are read in place (never unpacked to disk) and their
/// entries appear under the nested file's path without its extension. Every name is checked: absolute names and '..'
/// refuse the archive; names that are not UTF-8, device files and links pointing out of the archive are skipped with
/// a warning. Truncated or corrupt data, and decompression bombs (<see cref="UnpackGuard"/>), refuse the archive.
/// </summary>
public sealed class ArchiveWalker(ImportOptions options)
{
    /// <summary>Called for each entry; <c>data</c> is the file's content (read it now or never), null for other kinds.</summary>
    public delegate void Visitor(WalkEntry entry, Stream? data);

    private const int MaxDepth = 2;
    private const int MaxWarnings = 200;

    public WalkResult Walk(string path, Func<string, bool> descend, Visitor visit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        var walk = new WalkState(new UnpackGuard(options), descend, visit, ct);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var name = Path.GetFileName(full);
        try
        {
            // Reached without following a link anywhere: the archive or folder may lie where a tenant writes.
            using var parent = DirectoryHandle.OpenReal(Path.GetDirectoryName(full) ?? "/");
            if (parent.Stat(name) is { Type: UnixFileType.Directory })
            {
                using var folder = parent.OpenDirectory(name);
                FolderWalk.Run(folder, name + "/", walk);
                return new WalkResult("folder", 0, walk.Guard.Unpacked, walk.Warnings);
            }

            using var file = OpenArchive(parent, name, full);
            var head = HeadStream.Peek(file, ArchiveCompression.MaxZstdOffset + 4096);
            var kind = ArchiveCompression.Detect(head)
                ?? throw new ImportRefusedException($"{name} is {ArchiveCompression.Describe(head)}: refused. Import takes tar archives, plain or compressed with gzip or zstd.");
            var packed = new CountingStream(new HeadStream(head, kind.Offset, file, leaveOpen: true), leaveOpen: true);
            using var tar = walk.Guard.Watch(ArchiveCompression.Open(packed, kind.Kind), packed, name);
            WalkTar(tar, "", 0, walk);
            Drain(tar); // to the end: gzip's CRC and zstd's checksums are only checked there
            return new WalkResult(kind.Kind, file.Length, walk.Guard.Unpacked, walk.Warnings);
        }
        catch (SymbolicLinkRefusedException ex)
        {
            throw new ImportRefusedException($"{ex.Message.TrimEnd('.')}: refused; nothing was imported.", ex);
        }
        catch (Exception ex) when (ExpectedFailure.IsDamage(ex) || ex is IOException and not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new ImportRefusedException($"{name} is truncated or corrupt ({ex.Message}): refused; nothing was imported.", ex);
        }
    }

    /// <summary>The archive file itself, opened without following a link; a missing one is a <see cref="FileNotFoundException"/>.</summary>
    private static FileStream OpenArchive(DirectoryHandle parent, string name, string path)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = parent.OpenFile(name);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path, ex);
        }

        if (UnixFile.Stat(handle).Type != UnixFileType.RegularFile)
        {
            handle.Dispose();
            throw new ImportRefusedException($"{name} is not a regular file: refused; nothing was imported.");
        }

        return new FileStream(handle, FileAccess.Read, 1 << 16);
    }

    private static void WalkTar(Stream tar, string prefix, int depth, WalkState walk)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            walk.Ct.ThrowIfCancellationRequested();
            walk.Guard.CountEntry();
            if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal))
            {
                walk.Warn($"Skipped an entry whose name is not UTF-8: {ArchivePath.Shorten(prefix + entry.Name)}.");
                continue;
            }

            var relative = SafeName(entry.Name);
            if (relative.Length == 0)
            {
                continue;
            }

            var path = prefix + relative;
            var kind = KindOf(entry.EntryType);
            if (kind is null)
            {
                walk.Warn($"Skipped {path}: a {entry.EntryType} entry (device files, FIFOs and the like are never imported).");
                continue;
            }

            var modified = entry.ModificationTime;
            var mode = (UnixFileMode)((int)entry.Mode & 0xFFF);
            if (kind == WalkEntryKind.File && depth < MaxDepth && walk.Descend(path) && entry.DataStream is { } nested)
            {
                ReadNested(nested, path, depth, walk);
                continue;
            }

            var link = kind is WalkEntryKind.SymbolicLink or WalkEntryKind.HardLink ? LinkOf(entry.LinkName, kind.Value, prefix, path, walk) : null;
            if (kind is WalkEntryKind.SymbolicLink or WalkEntryKind.HardLink && link is null)
            {
                continue;
            }

            walk.Visit(new WalkEntry(path, kind.Value, kind == WalkEntryKind.File ? entry.Length : 0, link, modified, mode),
                kind == WalkEntryKind.File ? entry.DataStream ?? Stream.Null : null);
        }
    }

    private static void Drain(Stream stream)
    {
        var buffer = new byte[1 << 16];
        while (stream.Read(buffer) > 0)
        {
        }
    }

    /// <summary>Reads a nested archive in place: sniff its compression, then its tar entries under PATH-without-extension/.</summary>
    internal static void ReadNested(Stream data, string path, int depth, WalkState walk)
    {
        var head = HeadStream.Peek(data, ArchiveCompression.MaxZstdOffset + 4096);
        if (ArchiveCompression.Detect(head) is not { } kind)
        {
            walk.Warn($"Skipped {path}: expected a tar archive inside, found {ArchiveCompression.Describe(head)}.");
            return;
        }

        var packed = new CountingStream(new HeadStream(head, kind.Offset, data, leaveOpen: true), leaveOpen: true);
        using var unpacked = walk.Guard.Watch(ArchiveCompression.Open(packed, kind.Kind), packed, path);
        var inner = HeadStream.Peek(unpacked, 512);
        if (!ArchiveCompression.LooksLikeTar(inner))
        {
            walk.Warn($"Skipped {path}: its content is not a tar archive.");
            return;
        }

        using var tar = new HeadStream(inner, 0, unpacked, leaveOpen: true);
        WalkTar(tar, MountPoint(path), depth + 1, walk);
        Drain(tar);
    }

    /// <summary>Where a nested archive's entries appear: its path without archive extensions, as a folder.</summary>
    public static string MountPoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var extension in (string[])[".tar.gz", ".tar.zst", ".tgz", ".tzst", ".tar", ".gz", ".zst"])
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^extension.Length] + "/";
            }
        }

        return path + "/";
    }

    /// <summary>The entry name without "./", or a refusal for absolute names, NUL and '..'.</summary>
    internal static string SafeName(string name)
    {
        if (name.StartsWith('/') || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ImportRefusedException($"The archive has an entry with an absolute name ({ArchivePath.Shorten(name)}): refused as hostile; nothing was imported.");
        }

        var segments = name.Split('/').Where(s => s is not ("" or ".")).ToArray();
        if (segments.Contains(".."))
        {
            throw new ImportRefusedException($"The archive has an entry that climbs out with '..' ({ArchivePath.Shorten(name)}): refused as hostile; nothing was imported.");
        }

        return string.Join('/', segments);
    }

    internal static string? LinkOf(string target, WalkEntryKind kind, string prefix, string path, WalkState walk)
    {
        if (kind == WalkEntryKind.HardLink)
        {
            // A hard link names another entry of the same archive.
            var other = target.StartsWith('/') || target.Split('/').Contains("..") ? null : prefix + SafeName(target);
            if (other is null)
            {
                walk.Warn($"Skipped {path}: a hard link to {ArchivePath.Shorten(target)}, outside the archive.");
            }

            return other;
        }

        var parent = Path.GetDirectoryName(path) ?? "";
        var depth = parent.Length == 0 ? 0 : parent.Split('/').Length;
        var climbs = 0;
        foreach (var segment in target.Split('/'))
        {
            climbs += segment == ".." ? 1 : segment is "" or "." ? 0 : -1;
            if (climbs > depth)
            {
                break;
            }
        }

        if (target.StartsWith('/') || climbs > depth || target.Contains('\0', StringComparison.Ordinal))
        {
            walk.Warn($"Skipped {path}: a link to {ArchivePath.Shorten(target)}, outside the archive.");
            return null;
        }

        return target;
    }

    private static WalkEntryKind? KindOf(TarEntryType type) => type switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => WalkEntryKind.File,
        TarEntryType.Directory => WalkEntryKind.Directory,
        TarEntryType.SymbolicLink => WalkEntryKind.SymbolicLink,
        TarEntryType.HardLink => WalkEntryKind.HardLink,
        _ => null,
    };

    /// <summary>The state of one walk.</summary>
    internal sealed class WalkState(UnpackGuard guard, Func<string, bool> descend, Visitor visit, CancellationToken ct)
    {
        public UnpackGuard Guard { get; } = guard;

        public Func<string, bool> Descend { get; } = descend;

        public Visitor Visit { get; } = visit;

        public CancellationToken Ct { get; } = ct;

        public List<string> Warnings { get; } = [];

        public void Warn(string warning)
        {
            if (Warnings.Count < MaxWarnings)
            {
                Warnings.Add(warning);
            }
        }
    }
}
