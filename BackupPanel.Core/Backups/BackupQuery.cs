namespace BackupPanel.Core.Backups;

/// <summary>History filters; all optional. Dates are UTC, To is exclusive.</summary>
public sealed record BackupQuery(
    Guid? DomainId = null, BackupStatus? Status = null, BackupType? Type = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    int Skip = 0, int Take = 25);

/// <summary>One page of history and the total that matched.</summary>
public sealed record BackupPage(IReadOnlyList<Backup> Items, int Total);

/// <summary>What a destination holds according to the catalog.</summary>
public sealed record DestinationUsage(int Backups, long Bytes);
