using Hangfire;

namespace BackupPanel.Core.Notifications;

/// <summary>The Hangfire adapter for notifications. Reports are not retried (their events are marked once); delivery retries itself.</summary>
public sealed class NotificationJob(EventReports reports, NotificationDelivery delivery)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Deliver notification {0}")]
    public Task DeliverAsync(Guid notificationId, CancellationToken ct) => delivery.DeliverAsync(notificationId, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Report backup {0}")]
    public Task BackupFinishedAsync(Guid backupId, CancellationToken ct) => reports.BackupFinishedAsync(backupId, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Report plan run {1} started")]
    public Task RunStartedAsync(Guid planId, Guid runId, CancellationToken ct) => reports.RunStartedAsync(planId, runId, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Report plan run {1} missed")]
    public Task RunMissedAsync(Guid planId, Guid runId, CancellationToken ct) => reports.RunMissedAsync(planId, runId, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Report verification of {0}")]
    public Task VerifyFinishedAsync(Guid backupId, CancellationToken ct) => reports.VerifyFinishedAsync(backupId, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Report restore {0}")]
    public Task RestoreFinishedAsync(Guid restoreId, CancellationToken ct) => reports.RestoreFinishedAsync(restoreId, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Report bulk restore {0}")]
    public Task BulkRestoreFinishedAsync(Guid batchId, CancellationToken ct) => reports.BulkRestoreFinishedAsync(batchId, ct);
}
