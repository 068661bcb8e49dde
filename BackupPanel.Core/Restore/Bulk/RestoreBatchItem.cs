namespace BackupPanel.Core.Restore.Bulk;

/// <summary>Where one item of a bulk restore is.</summary>
public enum RestoreItemStatus
{
    /// <summary>Waiting for the preflight and the confirmation.</summary>
    Pending,
    Queued,
    Running,
    Succeeded,
    Failed,

    /// <summary>Not run, for a reason the preflight found (nothing to restore, a full target, an unreachable server…).</summary>
    Skipped,

    /// <summary>Not run: cancelled, or stopped after an earlier item failed with continue-on-error off.</summary>
    Cancelled,
}

/// <summary>How the preflight judged an item.</summary>
public enum PreflightLevel
{
    Ok,
    Warning,
    Error,
}

/// <summary>One backup of a bulk restore: what its preflight found, and how its restore went.</summary>
public sealed class RestoreBatchItem
{
    public Guid Id { get; set; }

    public Guid BatchId { get; set; }

    /// <summary>Order in the batch: items start in this order.</summary>
    public int Position { get; set; }

    /// <summary>The backup restored (no foreign key: the batch's record stays when the backup is deleted).</summary>
    public Guid BackupId { get; set; }

    public string DomainName { get; set; } = "";

    public DateTimeOffset BackupCreatedAt { get; set; }

    /// <summary>Files and mail go here; null = the original places.</summary>
    public string? TargetDirectory { get; set; }

    public RestoreItemStatus Status { get; set; }

    public PreflightLevel? Preflight { get; set; }

    /// <summary>The preflight's findings, one per line, each starting with "ok: ", "warning: " or "error: ".</summary>
    public string PreflightReport { get; set; } = "";

    /// <summary>A job was queued for this item (at most one per attempt).</summary>
    public bool Dispatched { get; set; }

    /// <summary>1 for the first run; re-running failed items counts up.</summary>
    public int Attempt { get; set; }

    /// <summary>The restore run of the latest attempt (its progress and log).</summary>
    public Guid? RestoreRunId { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Why it failed or was skipped or cancelled.</summary>
    public string? Error { get; set; }

    public bool IsFinished => Status is RestoreItemStatus.Succeeded or RestoreItemStatus.Failed or RestoreItemStatus.Skipped or RestoreItemStatus.Cancelled;
}
