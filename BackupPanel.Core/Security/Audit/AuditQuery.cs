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
