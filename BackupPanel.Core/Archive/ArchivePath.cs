namespace BackupPanel.Core.Archive;

/// <summary>Turns tar entry names into safe relative paths, refusing anything that could leave the target.</summary>
public static class ArchivePath
{
    /// <summary>
    /// The normalized relative path of an entry ("./a//b/" → "a/b"), "" for the root itself, or an
    /// <see cref="UnsafeArchiveException"/> for absolute names, ".." segments and NUL or backslash characters.
    /// </summary>
    public static string Normalize(string entryName)
    {
        ArgumentNullException.ThrowIfNull(entryName);
        if (entryName.StartsWith('/') || entryName.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException($"The archive entry '{Shorten(entryName)}' has an absolute or invalid name; nothing was restored.");
        }

        var segments = entryName.Split('/').Where(s => s is not ("" or ".")).ToArray();
        if (segments.Any(s => s == ".."))
        {
            throw new UnsafeArchiveException($"The archive entry '{Shorten(entryName)}' points outside the target ('..'); nothing was restored.");
        }

        return string.Join('/', segments);
    }

    /// <summary>Whether a link at <paramref name="linkPath"/> pointing to <paramref name="target"/> stays inside the root.</summary>
    public static bool LinkStaysInside(string linkPath, string target)
    {
        if (target.StartsWith('/'))
        {
            return false;
        }

        var depth = linkPath.Count(c => c == '/');
        foreach (var segment in target.Split('/').Where(s => s is not ("" or ".")))
        {
            depth += segment == ".." ? -1 : 1;
            if (depth < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Shortens a name for messages.</summary>
    public static string Shorten(string name) => name.Length > 120 ? name[..120] + "…" : name;
}
