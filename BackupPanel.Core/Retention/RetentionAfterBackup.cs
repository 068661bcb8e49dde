using BackupPanel.Core.Runs;
using Hangfire;

namespace BackupPanel.Core.Retention;

/// <summary>After each backup a plan makes (once its copies are stored), the plan's retention runs.</summary>
internal sealed class RetentionAfterBackup(IBackgroundJobClient jobs) : IRunObserver
{
    public void OnRunEvent(RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is { Kind: RunKind.Backup, Stage: RunStage.Stored, PlanId: { } plan })
        {
            jobs.Enqueue<ApplyRetentionJob>(job => job.RunAsync(plan, CancellationToken.None));
        }
    }
}
