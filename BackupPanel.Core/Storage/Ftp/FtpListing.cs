using System.Globalization;

namespace BackupPanel.Core.Storage.Ftp;

/// <summary>One entry of a directory listing.</summary>
/// <param name="Name">The name, spaces and all.</param>
/// <param name="IsDirectory">A folder (links and other kinds are neither: they are skipped).</param>
/// <param name="IsFile">A regular file.</param>
/// <param name="Size">Bytes, for files.</param>
public sealed record FtpListEntry(string Name, bool IsDirectory, bool IsFile, long Size);

/// <summary>
/// Parses LIST answers of the common server families: Unix <c>ls -l</c> lines (vsftpd, ProFTPD, Pure-FTPd), MLSD-style
/// fact lines (<c>type=file;size=12; name</c>) and DOS/IIS lines. Names keep their spaces; lines that fit none of
/// them (totals, banners, garbage) are skipped, never guessed at.
/// </summary>
public static class FtpListing
{
    /// <summary>Parses every line; unknown lines are left out.</summary>
    public static IEnumerable<FtpListEntry> Parse(string listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        foreach (var raw in listing.Split('\n'))
        {
            if (ParseLine(raw.TrimEnd('\r')) is { Name: not ("." or "..") } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>One line, or null when it is not an entry.</summary>
    public static FtpListEntry? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0 || line.Length > 8192)
        {
            return null;
        }

        return ParseFacts(line) ?? ParseUnix(line) ?? ParseDos(line);
    }

    private static FtpListEntry? ParseFacts(string line)
    {
        // type=file;size=1234;modify=20261125120000;UNIX.mode=0644; name with spaces
        var space = line.IndexOf("; ", StringComparison.Ordinal);
        if (space < 0 || !line.Contains('=', StringComparison.Ordinal) || line.StartsWith('-') || line.StartsWith('d'))
        {
            return null;
        }

        var facts = line[..space].Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].ToLowerInvariant(), p => p[1], StringComparer.Ordinal);
        if (!facts.TryGetValue("type", out var type))
        {
            return null;
        }

        var name = line[(space + 2)..];
        var size = facts.TryGetValue("size", out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return ValidName(name) ? new FtpListEntry(name, type.Equals("dir", StringComparison.OrdinalIgnoreCase), type.Equals("file", StringComparison.OrdinalIgnoreCase), size) : null;
    }

    private static FtpListEntry? ParseUnix(string line)
    {
        // -rw-r--r--    1 1000     1000         4096 Nov 25 12:00 name with spaces
        // drwxr-xr-x    2 1000     1000         4096 Nov 25  2025 folder
        if (line.Length < 10 || "-dlbcps".IndexOf(line[0], StringComparison.Ordinal) < 0 || !IsMode(line.AsSpan(1, 9)))
        {
            return null;
        }

        // Fields: mode, links, owner, group, size, month, day, time-or-year, then the name (which may hold spaces).
        var rest = line.AsSpan();
        long size = 0;
        for (var field = 0; field < 8; field++)
        {
            rest = rest.TrimStart(' ');
            var end = rest.IndexOf(' ');
            if (end < 0)
            {
                return null;
            }

            if (field == 4 && !long.TryParse(rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out size))
            {
                return null;
            }

            rest = rest[end..];
        }

        // Exactly one space separates the time from the name; any further spaces belong to the name.
        var name = rest.Length > 0 && rest[0] == ' ' ? rest[1..].ToString() : rest.ToString();
        return ValidName(name) ? new FtpListEntry(name, line[0] == 'd', line[0] == '-', line[0] == '-' ? size : 0) : null;
    }

    private static FtpListEntry? ParseDos(string line)
    {
        // 11-25-26  12:00PM       <DIR>          folder
        // 11-25-26  12:00PM                 1234 name with spaces
        var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4 || !DateTime.TryParseExact(parts[0], ["MM-dd-yy", "MM-dd-yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return null;
        }

        var name = parts[3].TrimStart(' ');
        if (parts[2] == "<DIR>")
        {
            return ValidName(name) ? new FtpListEntry(name, true, false, 0) : null;
        }

        return long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && ValidName(name) ? new FtpListEntry(name, false, true, size) : null;
    }

    private static bool IsMode(ReadOnlySpan<char> mode)
    {
        foreach (var c in mode)
        {
            if ("rwxsStTl-+".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValidName(string name) => name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && !name.Any(char.IsControl);
}
