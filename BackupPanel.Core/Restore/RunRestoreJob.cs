using Hangfire;

namespace BackupPanel.Core.Restore;

/// <summary>The Hangfire adapter for <see cref="RestoreRunner"/>. Never retried: a restore is repeated only by a person.</summary>
public sealed class RunRestoreJob(RestoreRunner runner, IBackgroundJobClient jobs)
{
    [Queue("restores")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Restore {0}")]
    public async Task RunAsync(Guid restoreId, CancellationToken ct)
    {
        try
        {
            await runner.RunAsync(restoreId, ct);
        }
        finally
        {
            jobs.Enqueue<Notifications.NotificationJob>(j => j.RestoreFinishedAsync(restoreId, CancellationToken.None)); // "restore finished"
        }
    }
}
