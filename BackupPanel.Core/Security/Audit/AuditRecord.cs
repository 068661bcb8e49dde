namespace BackupPanel.Core.Security.Audit;

/// <summary>Who acted and from where. Built by the web layer from the request or the circuit.</summary>
/// <param name="UserId">The acting user's id; null when anonymous.</param>
/// <param name="UserName">The acting user's name, or "anonymous"/"system".</param>
/// <param name="ClientAddress">The client's IP address, when known.</param>
public sealed record AuditActor(string? UserId, string UserName, string? ClientAddress)
{
    public static readonly AuditActor System = new(null, "system", null);
}

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
