namespace BackupPanel.Core.Restore.Bulk;

/// <summary>Where a bulk restore is.</summary>
public enum RestoreBatchStatus
{
    /// <summary>The preflight job is checking every item; nothing is written.</summary>
    Checking,

    /// <summary>The preflight report is ready and waits for the person to confirm (or discard) it.</summary>
    Ready,

    Running,
    Finished,

    /// <summary>Cancelled by a person: items not started were not restored.</summary>
    Cancelled,
}

/// <summary>
/// Many restores run as one: a list of backups (one item each), the choices that apply to all of them, the preflight
/// report, and per-item status. Items run as jobs, at most <see cref="Concurrency"/> at a time.
/// </summary>
public sealed class RestoreBatch
{
    public Guid Id { get; set; }

    public RestoreBatchStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string RequestedBy { get; set; } = "";

    /// <summary>Component kinds restored from each backup.</summary>
    public bool Files { get; set; }

    public bool Databases { get; set; }

    public bool Mail { get; set; }

    /// <summary>Files and mail of each domain go under <c>ROOT/DOMAIN/</c>; null = the original places.</summary>
    public string? AlternateRoot { get; set; }

    /// <summary>Each database is restored into NAME + suffix instead of its own; null = the original databases.</summary>
    public string? DatabaseSuffix { get; set; }

    public bool SafetyBackup { get; set; }

    public bool ContinueOnError { get; set; }

    /// <summary>At most this many items run at once (also bounded by the workers of the restores queue).</summary>
    public int Concurrency { get; set; }

    public bool DryRun { get; set; }

    public DateTimeOffset? PreflightAt { get; set; }

    /// <summary>A person asked to cancel: items not started are not started.</summary>
    public bool CancelRequested { get; set; }

    public List<RestoreBatchItem> Items { get; set; } = [];

    public bool IsFinished => Status is RestoreBatchStatus.Finished or RestoreBatchStatus.Cancelled;
}
