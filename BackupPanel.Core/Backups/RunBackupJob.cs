using Hangfire;

namespace BackupPanel.Core.Backups;

/// <summary>The Hangfire adapter for <see cref="BackupRunner"/>. No automatic retry: a failed backup is reported, not repeated behind the user's back.</summary>
public sealed class RunBackupJob(BackupRunner runner)
{
    [Queue("backups")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Back up {0}")]
    public Task RunAsync(Guid backupId, CancellationToken ct) => runner.RunAsync(backupId, ct);
}
