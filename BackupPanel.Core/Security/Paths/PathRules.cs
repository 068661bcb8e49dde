namespace BackupPanel.Core.Security.Paths;

/// <summary>
/// Where the panel, running as root, may read and write: a path is resolved (links followed, so a link cannot smuggle
/// a forbidden folder in) and must lie under an allowed root and neither in nor above a forbidden folder.
/// </summary>
public static class PathRules
{
    /// <summary>The defaults of a new install for <see cref="PathUse.Data"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultDataRoots = ["/home", "/var/www", "/srv"];

    /// <summary>The folders (and their parents) never allowed, whatever the lists say; "/lib*" is every top folder starting with lib.</summary>
    public static readonly IReadOnlyList<string> Forbidden =
        ["/", "/etc", "/root", "/boot", "/proc", "/sys", "/dev", "/run", "/usr", "/bin", "/sbin", "/lib*", "/var/lib/backuppanel"];

    /// <summary>The default for <see cref="PathUse.Destination"/>: the data folder's <c>backups/</c>.</summary>
    public static string DefaultDestinationRoot(string dataDirectory) => Path.Combine(dataDirectory, "backups");

    /// <summary>
    /// Why <paramref name="path"/> may not be used for <paramref name="use"/>, or null when it may. The panel's own data
    /// folder is forbidden like the system folders, except its <c>backups/</c> for local destinations.
    /// </summary>
    public static string? Check(string? path, PathUse use, IReadOnlyList<string> roots, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path) || path.Any(char.IsControl))
        {
            return "Give an absolute path.";
        }

        string resolved;
        try
        {
            resolved = Resolve(path);
        }
        catch (IOException ex)
        {
            return ex.Message;
        }

        var shown = resolved == Normalize(path) ? resolved : $"{resolved} (where {path} leads)";
        if (ForbiddenReason(resolved, use, dataDirectory) is { } reason)
        {
            return $"{shown} is never allowed: {reason}.";
        }

        var what = use == PathUse.Data ? "domain folders" : "local destinations";
        return roots.Any(root => IsSameOrUnder(resolved, Resolve(root)))
            ? null
            : $"{shown} is not under a folder allowed for {what} ({(roots.Count == 0 ? "none is" : string.Join(", ", roots))}); an Admin can add one in Administration → Security.";
    }

    /// <summary>Why a folder may never be in a list, or null.</summary>
    public static string? ForbiddenReason(string resolved, PathUse use, string dataDirectory)
    {
        var data = Normalize(dataDirectory);
        if (use == PathUse.Destination && IsSameOrUnder(resolved, DefaultDestinationRoot(data)))
        {
            return null; // the panel's own backups folder
        }

        foreach (var folder in Forbidden.Append(data))
        {
            if (folder == "/lib*")
            {
                if (resolved.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var top, ..] && top.StartsWith("lib", StringComparison.Ordinal))
                {
                    return $"/{top} holds the system's libraries";
                }

                continue;
            }

            if (folder == "/" ? resolved == "/" : IsSameOrUnder(resolved, folder))
            {
                return folder == data ? $"{data} is the panel's own data" : folder == "/" ? "it is the whole system" : $"{folder} belongs to the system";
            }

            if (IsSameOrUnder(folder, resolved))
            {
                return $"it holds {(folder == data ? "the panel's own data" : folder)}";
            }
        }

        return null;
    }

    /// <summary>The absolute path with every link along it followed (what does not exist yet is taken as written).</summary>
    public static string Resolve(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var links = 0;
        while (pending.TryPop(out var name))
        {
            if (name is "." or "")
            {
                continue;
            }

            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, name);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > 40)
                {
                    throw new IOException($"{path} has too many links along it.");
                }

                foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(part);
                }

                current = target.StartsWith('/') ? "/" : current;
                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Trims and drops a trailing '/' (keeps "/").</summary>
    public static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path.Trim()));

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (by whole names).</summary>
    public static bool IsSameOrUnder(string path, string folder)
    {
        folder = Path.TrimEndingDirectorySeparator(folder);
        path = Path.TrimEndingDirectorySeparator(path);
        return folder == "/" || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);
    }
}
