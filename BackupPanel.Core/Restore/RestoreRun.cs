using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Restore;

/// <summary>Where a restore run is.</summary>
public enum RestoreStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One restore of a backup (all of it or chosen components) into the original place or another one.</summary>
public sealed class RestoreRun : IRunRecord
{
    public Guid Id { get; set; }

    public Guid BackupId { get; set; }

    public string DomainName { get; set; } = "";

    /// <summary>The stored names of the components to restore, in manifest order.</summary>
    public List<string> Components { get; set; } = [];

    /// <summary>Files and mail go here instead of their roots; null = the original places.</summary>
    public string? TargetDirectory { get; set; }

    /// <summary>Databases are restored into this database instead of their own (one database component only).</summary>
    public string? TargetDatabase { get; set; }

    /// <summary>Each database is restored into its name + this suffix instead of its own.</summary>
    public string? TargetDatabaseSuffix { get; set; }

    /// <summary>The bulk restore item this run belongs to, when it is part of one.</summary>
    public Guid? BatchItemId { get; set; }

    /// <summary>Back up what is there now before anything is replaced.</summary>
    public bool SafetyBackup { get; set; }

    /// <summary>Remove what the backup does not have from the target directories (typed confirmation required).</summary>
    public bool ClearTarget { get; set; }

    /// <summary>Read and check everything, list what would change, write nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>The destination whose copy is read first (null: chosen by health and speed).</summary>
    public Guid? FromDestinationId { get; set; }

    public RestoreStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string RequestedBy { get; set; } = "";

    public string? JobId { get; set; }

    /// <summary>The safety backup taken first, when one was.</summary>
    public Guid? SafetyBackupId { get; set; }

    public string? Phase { get; set; }

    public long ProgressBytes { get; set; }

    public long? ProgressTotal { get; set; }

    public string? Error { get; set; }

    /// <summary>What was done (or, in a dry run, would be), one line per step.</summary>
    public string Log { get; set; } = "";

    public bool IsFinished => Status is not (RestoreStatus.Queued or RestoreStatus.Running);
}
