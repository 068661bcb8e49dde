using BackupPanel.Core.Runs;
using Hangfire;

namespace BackupPanel.Core.Backups;

/// <summary>
/// The Hangfire adapter for <see cref="BackupRunner"/>. No automatic retry: a failed backup is reported, not repeated
/// behind the user's back. The report (notifications, the plan run's ping) is its own job, queued once the result is saved.
/// </summary>
public sealed class RunBackupJob(BackupRunner runner, RunEvents events)
{
    [Queue("backups")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Back up {0}")]
    public async Task RunAsync(Guid backupId, CancellationToken ct)
    {
        try
        {
            await runner.RunAsync(backupId, ct).ConfigureAwait(false);
        }
        finally
        {
            events.Raise(new RunEvent(RunKind.Backup, RunStage.Ended, backupId));
        }
    }
}
