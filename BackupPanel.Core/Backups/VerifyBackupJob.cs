using Hangfire;

namespace BackupPanel.Core.Backups;

/// <summary>The Hangfire adapter for <see cref="BackupVerifier"/>; the result is recorded on the backup, not retried.</summary>
public sealed class VerifyBackupJob(BackupVerifier verifier)
{
    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Verify backup {0}")]
    public Task RunAsync(Guid backupId, CancellationToken ct) => verifier.VerifyAsync(backupId, ct);
}
