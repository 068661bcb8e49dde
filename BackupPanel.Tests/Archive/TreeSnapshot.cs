using System.Security.Cryptography;
using BackupPanel.Core.Archive;

namespace BackupPanel.Tests.Archive;

/// <summary>A folder tree as comparable text: path, type, mode, content hash or link target, and mtime.</summary>
public static class TreeSnapshot
{
    /// <summary>Snapshot of a folder.</summary>
    /// <param name="root">The folder.</param>
    /// <param name="mtimePrecision">The tick unit mtimes are compared in (TimeSpan.TicksPerSecond for tools that keep seconds).</param>
    /// <param name="withoutSpecialBits">Leave setuid/setgid out of the modes: what the panel restores into a domain whose owner is root (as in the suite).</param>
    public static IReadOnlyList<string> Take(string root, long mtimePrecision = 1, bool withoutSpecialBits = false)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, path);
            var s = UnixFile.Lstat(path);
            s = withoutSpecialBits ? s with { Mode = s.Mode & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup) } : s;
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
