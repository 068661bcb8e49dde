using Hangfire;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>The Hangfire adapters of bulk restores: the preflight, and one job per item. Never retried automatically.</summary>
public sealed class BulkRestoreJob(BulkPreflight preflight, BulkRestoreRunner runner)
{
    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Bulk restore preflight {0}")]
    public Task PreflightAsync(Guid batchId, CancellationToken ct) => preflight.RunAsync(batchId, ct);

    [Queue("restores")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Bulk restore item {0}")]
    public Task RunItemAsync(Guid itemId, CancellationToken ct) => runner.RunItemAsync(itemId, ct);
}
