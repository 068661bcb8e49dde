using Hangfire;

namespace BackupPanel.Core.Plans;

/// <summary>The Hangfire adapter for a plan's scheduled run (<see cref="PlanRunner"/>).</summary>
public sealed class RunPlanJob(PlanRunner runner)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Plan {0}")]
    public Task RunAsync(Guid planId, CancellationToken ct) => runner.RunScheduledAsync(planId, ct);
}
