using BackupPanel.Core.Data;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Plans;

/// <summary>
/// Keeps Hangfire's recurring jobs equal to the enabled plans: one job per plan, with the plan's cron and time zone.
/// The plans table is the source of truth; <see cref="SyncAllAsync"/> (at start-up, on every node that runs jobs)
/// adds what is missing and removes jobs of plans that are gone or disabled.
/// </summary>
public sealed class PlanScheduler(IRecurringJobManager recurring, JobStorage storage, IDbContextFactory<BackupPanelDbContext> dbFactory)
{
    /// <summary>The prefix of every plan's recurring job id.</summary>
    public const string JobPrefix = "plan-";

    public static string JobIdOf(Guid planId) => JobPrefix + planId.ToString("N");

    /// <summary>Adds, changes or removes the plan's recurring job to match the plan.</summary>
    public void Sync(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.Enabled)
        {
            recurring.RemoveIfExists(JobIdOf(plan.Id));
            return;
        }

        var (cron, zone) = plan.Schedule.Trigger();
        var id = plan.Id;
        recurring.AddOrUpdate<RunPlanJob>(JobIdOf(id), job => job.RunAsync(id, CancellationToken.None), cron, new RecurringJobOptions { TimeZone = zone });
    }

    public void Remove(Guid planId) => recurring.RemoveIfExists(JobIdOf(planId));

    /// <summary>Makes the recurring jobs equal to the plans table.</summary>
    public async Task SyncAllAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var plans = await db.Plans.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            Sync(plan);
        }

        var wanted = plans.Where(p => p.Enabled).Select(p => JobIdOf(p.Id)).ToHashSet(StringComparer.Ordinal);
        using var connection = storage.GetConnection();
        foreach (var job in connection.GetRecurringJobs().Where(j => j.Id.StartsWith(JobPrefix, StringComparison.Ordinal) && !wanted.Contains(j.Id)))
        {
            recurring.RemoveIfExists(job.Id);
        }
    }
}
