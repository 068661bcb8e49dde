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

    /// <summary>
    /// The domain's owner: anything recorded as owned by root (uid 0 or gid 0) is restored as this user or group
    /// instead. Null outside a domain (owners as recorded).
    /// </summary>
    public UnixOwner? DomainOwner { get; init; }

    /// <summary>
    /// Drop setuid and setgid wherever the restored owner would be root (the panel's restores into a domain's folders).
    /// Off for the command line's extract, which restores what the archive records, like <c>tar -xp</c> as root.
    /// </summary>
    public bool DropRootSpecialBits { get; init; }

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
public sealed record ExtractResult(long Entries, long FileBytes, long Created, long Replaced, IReadOnlyList<string> Changes, IReadOnlyList<string> Warnings)
{
    /// <summary>Entries recorded as owned by root (uid or gid 0) that were given to the domain's owner.</summary>
    public long OwnersMapped { get; init; }

    /// <summary>Entries whose setuid/setgid bits were dropped, because they would have belonged to root.</summary>
    public long SpecialBitsDropped { get; init; }

    /// <summary>The two counts above in words, for a run's log; null when both are zero.</summary>
    public string? OwnershipSummary(UnixOwner? owner) => (OwnersMapped, SpecialBitsDropped) switch
    {
        (0, 0) => null,
        var (mapped, dropped) => string.Join("; ", new[]
        {
            mapped > 0 ? $"{mapped:N0} entries recorded as owned by root were given to the domain's owner {owner}" : null,
            dropped > 0 ? $"setuid/setgid dropped on {dropped:N0} entries that would have belonged to root" : null,
        }.OfType<string>()) + ".",
    };
}

/// <summary>A user and group, by id (and the names they had when chosen, for messages).</summary>
/// <param name="Uid">User id.</param>
/// <param name="Gid">Group id.</param>
/// <param name="Name">"user:group" as shown.</param>
public sealed record UnixOwner(int Uid, int Gid, string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
