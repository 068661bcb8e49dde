using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Backups;

/// <summary>What a backup contains.</summary>
public enum BackupType
{
    /// <summary>Files, databases and mail.</summary>
    Full,

    /// <summary>The files root only.</summary>
    Files,

    /// <summary>The databases only.</summary>
    Database,

    /// <summary>The mail root only.</summary>
    Email,
}

/// <summary>Where a backup run is. Only Succeeded (and PartiallySucceeded) backups are restorable.</summary>
public enum BackupStatus
{
    Queued,
    Running,
    Succeeded,
    PartiallySucceeded,
    Failed,
    Cancelled,

    /// <summary>A plan's run that did not happen: the panel was down past the catch-up window.</summary>
    Missed,

    /// <summary>A plan's run not started because the domain's previous backup was still running.</summary>
    Skipped,
}

/// <summary>One backup run of one domain: a transactional set of components stored as copies at destinations.</summary>
public sealed class Backup : IRunRecord
{
    public Guid Id { get; set; }

    /// <summary>The domain; null once the domain was removed from the catalog (the name stays).</summary>
    public Guid? DomainId { get; set; }

    public string DomainName { get; set; } = "";

    public BackupType Type { get; set; }

    public BackupStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Who asked for it: a user's name, or "plan …".</summary>
    public string RequestedBy { get; set; } = "";

    /// <summary>The plan that made it, when a schedule did.</summary>
    public Guid? PlanId { get; set; }

    /// <summary>Pinned backups are never deleted by retention.</summary>
    public bool Pinned { get; set; }

    /// <summary>The plan run that made this backup: one id for every domain of one run (pings and webhooks report the run).</summary>
    public Guid? PlanRunId { get; set; }

    public string? JobId { get; set; }

    /// <summary>The folder at the destinations (see docs/FORMAT.md).</summary>
    public string? FolderKey { get; set; }

    public bool Encrypted { get; set; }

    public long StoredBytes { get; set; }

    public long PlainBytes { get; set; }

    public int WarningCount { get; set; }

    /// <summary>Why it failed, in words.</summary>
    public string? Error { get; set; }

    /// <summary>The run's log, one line per step or warning.</summary>
    public string Log { get; set; } = "";

    /// <summary>SHA-256 of manifest.json as written: a later change to it is noticed.</summary>
    public string? ManifestSha256 { get; set; }

    /// <summary>Live progress: the current step ("files", "db shop", "checking copies").</summary>
    public string? Phase { get; set; }

    public long ProgressBytes { get; set; }

    /// <summary>Bytes expected in all, when known (for percent and ETA).</summary>
    public long? ProgressTotal { get; set; }

    public DateTimeOffset? ProgressAt { get; set; }

    public bool CancelRequested { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    public bool? VerifySucceeded { get; set; }

    public string? VerifyMessage { get; set; }

    public List<BackupComponent> Components { get; set; } = [];

    public List<BackupCopy> Copies { get; set; } = [];

    /// <summary>Whether the run is over.</summary>
    public bool IsFinished => Status is not (BackupStatus.Queued or BackupStatus.Running);
}

/// <summary>One stored file of a backup, as the manifest lists it.</summary>
public sealed class BackupComponent
{
    public Guid Id { get; set; }
    public Guid BackupId { get; set; }

    /// <summary>Its place in the manifest (components are shown and restored in this order).</summary>
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Database { get; set; }
    public long StoredSize { get; set; }
    public string StoredSha256 { get; set; } = "";
    public long PlainSize { get; set; }
    public string PlainSha256 { get; set; } = "";
    public long? Entries { get; set; }

    /// <summary>The catalog's row for a manifest's component at <paramref name="position"/>.</summary>
    public static BackupComponent From(Archive.ArchiveComponent component, int position)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new BackupComponent
        {
            Id = Guid.NewGuid(), Position = position, Name = component.Name, Kind = component.Kind, Database = component.Database,
            StoredSize = component.StoredSize, StoredSha256 = component.StoredSha256, PlainSize = component.PlainSize,
            PlainSha256 = component.PlainSha256, Entries = component.Entries,
        };
    }
}

/// <summary>State of a backup's copy at one destination.</summary>
public enum BackupCopyStatus
{
    /// <summary>Chosen for the run, not written yet.</summary>
    Pending,

    /// <summary>Written and read back.</summary>
    Stored,

    /// <summary>Could not be written or did not read back correctly.</summary>
    Failed,

    /// <summary>Removed (by a user or retention).</summary>
    Deleted,
}

/// <summary>A backup's copy at one destination.</summary>
public sealed class BackupCopy
{
    /// <summary>How a copy's error starts when the backup failed for another reason than this destination (the source, a bug).</summary>
    public const string NotWrittenPrefix = "Not written: ";

    /// <summary>The error of a copy that was never attempted because the backup failed with <paramref name="reason"/>.</summary>
    public static string NotWritten(string reason) => RunLog.Clip(NotWrittenPrefix + "the backup failed: " + reason, 4000);

    /// <summary>This copy failed because of its destination (unreachable, refusing writes), not because the backup did.</summary>
    public bool FailedAtDestination => Status == BackupCopyStatus.Failed && Error is { } e && e != "cancelled" && !e.StartsWith(NotWrittenPrefix, StringComparison.Ordinal);

    public Guid Id { get; set; }
    public Guid BackupId { get; set; }
    public Guid? DestinationId { get; set; }
    public string DestinationName { get; set; } = "";
    public BackupCopyStatus Status { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? StoredAt { get; set; }
}
