namespace BackupPanel.Core.Security.Audit;

/// <summary>
/// One audited event. Append-only: the database refuses UPDATE and DELETE on this table (see the migration
/// <c>AddAuditLog</c>). <see cref="Details"/> never holds a secret.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>When it happened, UTC.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The acting user's id, or null for anonymous or system actions.</summary>
    public string? UserId { get; set; }

    /// <summary>The acting user's name as it was at the time (e-mail), or "system"/"anonymous".</summary>
    public required string UserName { get; set; }

    /// <summary>What was done, from <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    public string? TargetType { get; set; }

    public string? TargetId { get; set; }

    public AuditOutcome Outcome { get; set; }

    /// <summary>The client's IP address, when the action came from a request.</summary>
    public string? ClientAddress { get; set; }

    /// <summary>Human-readable details; never passwords, keys or tokens.</summary>
    public string? Details { get; set; }

    /// <summary>The previous entry's <see cref="Hash"/> ("" for the first); set by the database as the entry is written.</summary>
    public string? PreviousHash { get; set; }

    /// <summary>SHA-256 (hex) of <see cref="PreviousHash"/> and this entry's fields; set by the database (migration ChainAuditLog).</summary>
    public string? Hash { get; set; }
}

public enum AuditOutcome
{
    Success = 0,
    Failure = 1,
    Denied = 2,
}
