using BackupPanel.Core.Runs;
using Hangfire;

namespace BackupPanel.Core.Restore;

/// <summary>The Hangfire adapter for <see cref="RestoreRunner"/>. Never retried: a restore is repeated only by a person.</summary>
public sealed class RunRestoreJob(RestoreRunner runner, RunEvents events)
{
    [Queue("restores")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Restore {0}")]
    public async Task RunAsync(Guid restoreId, CancellationToken ct)
    {
        try
        {
            await runner.RunAsync(restoreId, ct).ConfigureAwait(false);
        }
        finally
        {
            events.Raise(new RunEvent(RunKind.Restore, RunStage.Ended, restoreId)); // "restore finished"
        }
    }
}
