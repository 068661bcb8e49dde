namespace BackupPanel.Core.Archive;

/// <summary>How a tree is restored from a tar stream.</summary>
public sealed record ExtractOptions
{
    /// <summary>Read and check everything, list what would be written or replaced, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Remove what the target holds before the restored tree is moved in (only after the archive checked out).</summary>
    public bool ClearTarget { get; init; }

    /// <summary>Restore owners (by name when the name exists here, else by id). Only possible as root.</summary>
    public bool RestoreOwners { get; init; } = true;

    /// <summary>Refuse archives whose files add up to more than this (decompression bombs in imports).</summary>
    public long MaxBytes { get; init; } = long.MaxValue;

    /// <summary>Refuse archives with more entries than this.</summary>
    public long MaxEntries { get; init; } = long.MaxValue;

    /// <summary>At most this many planned changes are listed for a dry run; the rest are counted.</summary>
    public int MaxListedChanges { get; init; } = 1000;
}

/// <summary>What a restore wrote, or for a dry run would write.</summary>
/// <param name="Entries">Entries read.</param>
/// <param name="FileBytes">Bytes of file content.</param>
/// <param name="Created">Paths that did not exist in the target.</param>
/// <param name="Replaced">Paths that existed and were (or would be) replaced.</param>
/// <param name="Changes">The first paths with "create" or "replace" (capped by <see cref="ExtractOptions.MaxListedChanges"/>).</param>
/// <param name="Warnings">Skipped special files, links pointing outside the target, owners that could not be set.</param>
public sealed record ExtractResult(long Entries, long FileBytes, long Created, long Replaced, IReadOnlyList<string> Changes, IReadOnlyList<string> Warnings);
