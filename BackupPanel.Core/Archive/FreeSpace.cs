namespace BackupPanel.Core.Archive;

/// <summary>The free-space check before a restore writes, and "no space" failures that say what and where.</summary>
public static class FreeSpace
{
    private const int NoSpace = 28; // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT

    /// <summary>
    /// Throws an <see cref="IOException"/> naming <paramref name="component"/> and <paramref name="target"/> when the
    /// file system that holds the target (or its nearest existing parent) has less than <paramref name="bytes"/> free.
    /// </summary>
    public static void Require(string target, long bytes, string component)
    {
        ArgumentNullException.ThrowIfNull(target);
        var existing = Path.GetFullPath(target);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var free = new DriveInfo(existing).AvailableFreeSpace;
        if (free < bytes)
        {
            throw new IOException($"{component}: needs {bytes:N0} bytes at {target}, only {free:N0} are free there; nothing was restored.", NoSpace);
        }
    }

    /// <summary>Whether <paramref name="ex"/> is the file system saying it is full (or the quota is used up).</summary>
    public static bool IsNoSpace(Exception ex) => ex is IOException { HResult: NoSpace or QuotaExceeded };

    /// <summary>A "no space" failure, said with the component and the target.</summary>
    public static IOException NoSpaceAt(string target, string component, Exception cause) =>
        new($"{component}: no space left at {target} ({cause?.Message}); nothing was restored.", cause);
}
