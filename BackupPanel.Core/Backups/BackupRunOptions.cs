namespace BackupPanel.Core.Backups;

/// <summary>What a plan asks of the backups it makes; a backup no plan made gets the defaults.</summary>
public sealed record BackupRunOptions(int CompressionLevel = 3, bool Encrypt = true, bool VerifyAfter = false);

/// <summary>
/// Where a backup run reads the options of the plan that queued it. Plans provide it, so that backups know no plan:
/// the options are read when the run starts (an edit made while the backup waited applies).
/// </summary>
public interface IBackupRunOptions
{
    /// <summary>The plan's options, or null when the plan is gone (the run then uses the defaults).</summary>
    Task<BackupRunOptions?> ForPlanAsync(Guid planId, CancellationToken ct);
}
