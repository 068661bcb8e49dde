using Hangfire;

namespace BackupPanel.Core.Backups;

/// <summary>The Hangfire adapter for <see cref="BackupVerifier"/>; the result is recorded on the backup, not retried.</summary>
public sealed class VerifyBackupJob(BackupVerifier verifier, IBackgroundJobClient jobs)
{
    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Verify backup {0}")]
    public async Task RunAsync(Guid backupId, CancellationToken ct)
    {
        await verifier.VerifyAsync(backupId, ct);
        jobs.Enqueue<Notifications.NotificationJob>(j => j.VerifyFinishedAsync(backupId, CancellationToken.None)); // "verify failed", if it did
    }
}
