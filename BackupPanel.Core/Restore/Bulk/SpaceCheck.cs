namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// Free space over a whole batch: the needs of all items are counted against each file system in item order, so
/// the item that would fill a disk (and every one after it there) is flagged before anything is written.
/// </summary>
internal static class SpaceCheck
{
    public static void Apply(IReadOnlyList<ItemCheck> items, bool dryRun)
    {
        var mounts = DriveInfo.GetDrives().Select(d => d.Name).ToList();
        var left = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var need in item.Needs)
            {
                var existing = NearestExisting(need.Target);
                var mount = MountOf(existing, mounts);
                var earlier = left.TryGetValue(mount, out var free);
                if (!earlier)
                {
                    free = new DriveInfo(existing).AvailableFreeSpace;
                }

                left[mount] = free - need.Bytes;
                if (need.Bytes <= free)
                {
                    continue;
                }

                var text = $"Not enough space for {need.Kind} at {need.Target}: it needs {Units.Bytes(need.Bytes)}, {Units.Bytes(Math.Max(0, free))} is free on {mount}"
                    + (earlier ? " after the items before it in this batch" : "") + ".";
                item.Add(dryRun ? PreflightLevel.Warning : PreflightLevel.Error, dryRun ? text + " (A dry run writes nothing.)" : text);
            }
        }
    }

    /// <summary>The target itself or its nearest existing parent: where free space can be asked.</summary>
    private static string NearestExisting(string path)
    {
        var dir = Path.GetFullPath(path);
        while (!Directory.Exists(dir) && Path.GetDirectoryName(dir) is { } parent)
        {
            dir = parent;
        }

        return dir;
    }

    /// <summary>The mount point a path lies on: the longest mount that is a whole-component prefix of it.</summary>
    private static string MountOf(string path, IReadOnlyList<string> mounts) =>
        mounts.Where(m => m == "/" || path == m || path.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)).MaxBy(m => m.Length) ?? "/";
}
