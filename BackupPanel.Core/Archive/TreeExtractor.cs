using System.Formats.Tar;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Restores a tar stream into a target folder, safely and all-or-nothing: entries are written into a staging folder
/// inside the target, and only <see cref="StagedTree.Commit"/> (called after the caller has checked the archive's
/// checksums) moves them into place. Absolute names, '..' and writes through links are refused; links themselves are
/// restored as links and never followed.
/// </summary>
public static class TreeExtractor
{
    /// <summary>Staging folders start with this name; a leftover one is removed by the next restore.</summary>
    public const string StagingPrefix = ".backuppanel-restore-";

    /// <summary>Reads the whole tar stream and checks every entry as a restore would, writing nothing.</summary>
    public static async Task<ExtractResult> CheckAsync(Stream tar, CancellationToken ct)
    {
        using var tree = await StageAsync(tar, null, new ExtractOptions { DryRun = true }, ct).ConfigureAwait(false);
        return tree.Result;
    }

    /// <summary>
    /// Reads the whole tar stream into a staging folder inside <paramref name="target"/> (or, for a dry run, only
    /// plans against it; a null target plans nothing).
    /// </summary>
    public static async Task<StagedTree> StageAsync(Stream tar, string? target, ExtractOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (target is null && !options.DryRun)
        {
            throw new ArgumentNullException(nameof(target), "Only a dry run can go without a target.");
        }

        target = target is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var tree = Open(target, options);
        try
        {
            // Synchronous on purpose: per-entry async I/O costs more than the work itself for small files (measured
            // 2.5x slower on a 41,000-file corpus); callers run this off the request path, and cancellation is checked
            // between entries.
            await Task.Yield();
            using var reader = new TarReader(tar, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                ct.ThrowIfCancellationRequested();
                tree.Add(entry);
            }

            return tree;
        }
        catch
        {
            tree.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The target (a real folder: no link in any part of its path, created when missing) and, unless this is a dry run,
    /// a fresh staging folder in it: made by this process with mode 0700, checked (new, owned by this user, a folder)
    /// and from then on reached only through its descriptor.
    /// </summary>
    private static StagedTree Open(string? target, ExtractOptions options)
    {
        if (options.DryRun)
        {
            DirectoryHandle? existing = null;
            try
            {
                existing = target is null ? null : DirectoryHandle.OpenReal(target);
            }
            catch (DirectoryNotFoundException)
            {
                // Nothing there yet: everything would be created.
            }

            return new StagedTree(target, existing, null, null, null, options);
        }

        var folder = DirectoryHandle.CreateReal(target!, out var createdTop);
        DirectoryHandle? staging = null;
        try
        {
            RemoveLeftoverStaging(folder);
            var name = StagingPrefix + Guid.NewGuid().ToString("N")[..12];
            staging = folder.CreateDirectory(name, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var status = staging.Stat();
            if (!staging.CreatedHere || status.Uid != UnixFile.EffectiveUserId || (status.Mode & (UnixFileMode)0x3F) != 0)
            {
                throw new UnsafeArchiveException($"The staging folder '{staging.Path}' was not the fresh private folder just made; nothing was restored.");
            }

            return new StagedTree(target, folder, staging, name, createdTop, options);
        }
        catch
        {
            staging?.Dispose();
            folder.Dispose();
            if (createdTop is not null)
            {
                CreatedFolders.RemoveIfEmpty(target!, createdTop);
            }

            throw;
        }
    }

    private static void RemoveLeftoverStaging(DirectoryHandle target)
    {
        // A restore killed mid-way leaves its staging folder; an hour-old one cannot belong to a running restore. Only
        // folders this user made are removed, through descriptors.
        foreach (var (name, _) in target.List().Where(e => e.Name.StartsWith(StagingPrefix, StringComparison.Ordinal)))
        {
            if (target.Stat(name) is { Type: UnixFileType.Directory } status && status.Uid == UnixFile.EffectiveUserId
                && DateTimeOffset.UtcNow - status.ModifiedUtc > TimeSpan.FromHours(1))
            {
                using (var leftover = target.TryOpenDirectory(name))
                {
                    leftover?.Clear();
                }

                target.RemoveEmptyDirectory(name);
            }
        }
    }
}
