namespace BackupPanel.Core.Restore.Bulk;

/// <summary>The bulk restore form's model. Validated by <see cref="BulkRestoreService"/>.</summary>
public sealed class BulkRestoreRequest
{
    /// <summary>Restore exactly these backups (from the history). Leave empty to pick by <see cref="DomainIds"/>.</summary>
    public List<Guid> BackupIds { get; set; } = [];

    /// <summary>Restore the latest successful backup of each of these domains.</summary>
    public List<Guid> DomainIds { get; set; } = [];

    /// <summary>With <see cref="DomainIds"/>: the latest successful backup made on or before this instant; null = the latest.</summary>
    public DateTimeOffset? AsOf { get; set; }

    public bool Files { get; set; } = true;

    public bool Databases { get; set; } = true;

    public bool Mail { get; set; } = true;

    /// <summary>
    /// "Somewhere else": nothing goes to the original places. Files and mail need <see cref="AlternateRoot"/>; databases
    /// take NAME + <see cref="DatabaseSuffix"/>, else NAME + <see cref="RestoreService.DefaultSuffix"/>.
    /// </summary>
    public bool Elsewhere { get; set; }

    /// <summary>Files and mail of each domain go under ROOT/DOMAIN/; empty = the original places (unless <see cref="Elsewhere"/>).</summary>
    public string? AlternateRoot { get; set; }

    /// <summary>Databases are restored into NAME + this suffix (created when missing); empty = the original databases (unless <see cref="Elsewhere"/>).</summary>
    public string? DatabaseSuffix { get; set; }

    /// <summary>Back up what is at the original places first (on by default).</summary>
    public bool SafetyBackup { get; set; } = true;

    /// <summary>Go on with the other items when one fails (on by default).</summary>
    public bool ContinueOnError { get; set; } = true;

    /// <summary>At most this many restores at once (1–16).</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>Check and list what would change; write nothing.</summary>
    public bool DryRun { get; set; }
}
