using System.Security.Cryptography;
using BackupPanel.Core.Archive;

namespace BackupPanel.Tests.Archive;

/// <summary>A folder tree as comparable text: path, type, mode, content hash or link target, and mtime.</summary>
public static class TreeSnapshot
{
    /// <summary>Snapshot of <paramref name="root"/>; <paramref name="mtimePrecision"/> is the tick unit mtimes are compared in (TimeSpan.TicksPerSecond for tools that keep seconds).</summary>
    public static IReadOnlyList<string> Take(string root, long mtimePrecision = 1)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, path);
            var s = UnixFile.Lstat(path);
            var mtime = s.ModifiedUtc.UtcTicks / mtimePrecision;
            lines.Add(s.Type switch
            {
                UnixFileType.SymbolicLink => $"{rel} link -> {new FileInfo(path).LinkTarget}",
                UnixFileType.Directory => $"{rel} dir {s.Mode} {mtime}",
                _ => $"{rel} file {s.Mode} {s.Size} {Hash(path)} {mtime}",
            });
        }

        return lines;
    }

    private static string Hash(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f))[..16];
    }
}
