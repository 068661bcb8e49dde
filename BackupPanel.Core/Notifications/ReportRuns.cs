using BackupPanel.Core.Runs;
using Hangfire;

namespace BackupPanel.Core.Notifications;

/// <summary>Queues the report of every run that ends (see <see cref="EventReports"/>); the reports decide whom to tell.</summary>
internal sealed class ReportRuns(IBackgroundJobClient jobs) : IRunObserver
{
    public void OnRunEvent(RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Stage != RunStage.Ended)
        {
            return;
        }

        var id = e.Id;
        _ = e.Kind switch
        {
            RunKind.Backup => jobs.Enqueue<NotificationJob>(j => j.BackupFinishedAsync(id, CancellationToken.None)),
            RunKind.Verify => jobs.Enqueue<NotificationJob>(j => j.VerifyFinishedAsync(id, CancellationToken.None)), // "verify failed", if it did
            RunKind.Restore => jobs.Enqueue<NotificationJob>(j => j.RestoreFinishedAsync(id, CancellationToken.None)),
            RunKind.BulkRestore => jobs.Enqueue<NotificationJob>(j => j.BulkRestoreFinishedAsync(id, CancellationToken.None)),
            _ => null,
        };
    }
}
