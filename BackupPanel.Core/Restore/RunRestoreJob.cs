using Hangfire;

namespace BackupPanel.Core.Restore;

/// <summary>The Hangfire adapter for <see cref="RestoreRunner"/>. Never retried: a restore is repeated only by a person.</summary>
public sealed class RunRestoreJob(RestoreRunner runner)
{
    [Queue("restores")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Restore {0}")]
    public Task RunAsync(Guid restoreId, CancellationToken ct) => runner.RunAsync(restoreId, ct);
}
