using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>
/// The Hangfire adapter for <see cref="BackupRunner"/>. No automatic retry: a failed backup is reported, not repeated
/// behind the user's back. The report (notifications, the plan run's ping) is its own job, queued once the result is saved.
/// A backup whose domain is busy (another backup or a restore of it runs) waits its turn: the job is scheduled again.
/// </summary>
public sealed class RunBackupJob(BackupRunner runner, RunEvents events, IBackgroundJobClient jobs, IDbContextFactory<BackupPanelDbContext> dbFactory)
{
    /// <summary>How long a backup whose domain is busy waits before it looks again.</summary>
    public static readonly TimeSpan DomainBusyRetry = TimeSpan.FromSeconds(3);

    [Queue("backups")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Back up {0}")]
    public async Task RunAsync(Guid backupId, CancellationToken ct)
    {
        var ended = true;
        try
        {
            ended = await runner.RunWhenDomainFreeAsync(backupId, ct).ConfigureAwait(false);
            if (!ended)
            {
                var next = jobs.Schedule<RunBackupJob>(job => job.RunAsync(backupId, CancellationToken.None), DomainBusyRetry);
                var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
                await using var dbScope = db.ConfigureAwait(false);
                await db.Backups.Where(b => b.Id == backupId && b.Status == BackupStatus.Queued)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.JobId, next), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (ended) events.Raise(new RunEvent(RunKind.Backup, RunStage.Ended, backupId));
        }
    }
}
