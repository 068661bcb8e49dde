using Hangfire;

namespace BackupPanel.Core.Runs;

/// <summary>The recurring Hangfire adapter for <see cref="InterruptedRunSweeper"/> (also run once at start-up).</summary>
public sealed class SweepInterruptedRunsJob(InterruptedRunSweeper sweeper)
{
    public const string RecurringId = "sweep-interrupted-runs";

    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Mark interrupted runs failed")]
    public Task RunAsync(CancellationToken ct) => sweeper.SweepAsync(ct);
}
