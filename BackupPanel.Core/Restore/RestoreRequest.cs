namespace BackupPanel.Core.Restore;

/// <summary>What to restore and where: the form's model. Validated by <see cref="RestoreService"/>.</summary>
public sealed class RestoreRequest
{
    public Guid BackupId { get; set; }

    /// <summary>Stored names of the components to restore; empty = all of them.</summary>
    public List<string> Components { get; set; } = [];

    /// <summary>Files and mail go under this absolute directory instead of their roots; null = the original places.</summary>
    public string? TargetDirectory { get; set; }

    /// <summary>The database goes into this one instead of its own (created when missing); one database component only.</summary>
    public string? TargetDatabase { get; set; }

    /// <summary>Each database goes into its name + this suffix (created when missing) instead of its own; for bulk restores.</summary>
    public string? TargetDatabaseSuffix { get; set; }

    /// <summary>
    /// "Somewhere else": nothing goes to the original places, whatever else is left empty. Files and mail need
    /// <see cref="TargetDirectory"/>; databases take <see cref="TargetDatabase"/>, else NAME + <see cref="TargetDatabaseSuffix"/>,
    /// else NAME + <see cref="RestoreService.DefaultSuffix"/>.
    /// </summary>
    public bool Elsewhere { get; set; }

    /// <summary>Back up what is there now first (on by default; only when restoring into the original places).</summary>
    public bool SafetyBackup { get; set; } = true;

    /// <summary>Remove from the target directories what the backup does not have.</summary>
    public bool ClearTarget { get; set; }

    /// <summary>Must repeat the domain's name when <see cref="ClearTarget"/> is on.</summary>
    public string? ClearConfirmation { get; set; }

    /// <summary>Check everything and list what would change; write nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>Read from the copy at this destination first (null: the healthiest, fastest copy); others stay the fallback.</summary>
    public Guid? FromDestinationId { get; set; }
}
