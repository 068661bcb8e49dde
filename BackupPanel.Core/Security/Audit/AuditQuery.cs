namespace BackupPanel.Core.Security.Audit;

/// <summary>A filter over the audit log. All parts are optional; times are UTC.</summary>
public sealed record AuditQuery(
    string? Text = null,
    string? Action = null,
    AuditOutcome? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Skip = 0,
    int Take = 50);

/// <summary>One page of the audit log and the total count matching the filter.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int Total);

/// <summary>
/// The audit chain: intact since <see cref="Since"/> over <see cref="Entries"/> entries, ending in <see cref="Head"/>
/// (worth noting down elsewhere now and then), or broken first at <see cref="FirstBroken"/>.
/// </summary>
public sealed record AuditChainStatus(bool Intact, long Entries, DateTimeOffset? Since, string? Head, AuditEntry? FirstBroken);
