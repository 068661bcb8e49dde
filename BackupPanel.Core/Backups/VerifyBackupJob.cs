using BackupPanel.Core.Runs;
using Hangfire;

namespace BackupPanel.Core.Backups;

/// <summary>The Hangfire adapter for <see cref="BackupVerifier"/>; the result is recorded on the backup, not retried.</summary>
public sealed class VerifyBackupJob(BackupVerifier verifier, RunEvents events)
{
    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Verify backup {0}")]
    public async Task RunAsync(Guid backupId, CancellationToken ct)
    {
        await verifier.VerifyAsync(backupId, ct).ConfigureAwait(false);
        events.Raise(new RunEvent(RunKind.Verify, RunStage.Ended, backupId)); // "verify failed", if it did
    }
}
