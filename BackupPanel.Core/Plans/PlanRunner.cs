using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Notifications;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Plans;

/// <summary>
/// One run of a plan: a backup of each of its domains to its destinations. A domain whose previous backup is still
/// queued or running is not started twice: the run records a Skipped backup for it, with the reason. A scheduled run
/// that starts later than the catch-up window after its time (the panel was down) records Missed backups instead.
/// </summary>
public sealed partial class PlanRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, BackupService backups, IBackgroundJobClient jobs, PlanRunnerOptions options, TimeProvider clock,
    ILogger<PlanRunner> log)
{
    /// <summary>The scheduler's entry: runs the plan, or records Missed when this start is too late for its time.</summary>
    public Task<IReadOnlyList<Guid>> RunScheduledAsync(Guid planId, CancellationToken ct) => RunAsync(planId, scheduled: true, ct);

    /// <summary>Starts the plan's backups now; returns the ids of the backups queued and skipped, in domain order.</summary>
    public Task<IReadOnlyList<Guid>> RunAsync(Guid planId, CancellationToken ct) => RunAsync(planId, scheduled: false, ct);

    private async Task<IReadOnlyList<Guid>> RunAsync(Guid planId, bool scheduled, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var plan = await db.Plans.AsNoTracking().Include(p => p.Domains).Include(p => p.Destinations).SingleOrDefaultAsync(p => p.Id == planId, ct).ConfigureAwait(false);
        if (plan is null || !plan.Enabled)
        {
            LogNotRun(log, planId);
            return [];
        }

        var domainIds = plan.Domains.Select(d => d.DomainId).ToList();
        var domains = await db.Domains.AsNoTracking().Where(d => domainIds.Contains(d.Id)).OrderBy(d => d.Name).ToListAsync(ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var started = new List<Guid>();
        var run = Guid.NewGuid(); // one id for every backup of this run: its pings and its outcome
        if (scheduled && plan.Schedule.PreviousRun(now) is { } due && now - due > options.CatchUpWindow)
        {
            var reason = $"Missed: this run was due at {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC and could only start at {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC (the panel was not running?), later than the catch-up window of {options.CatchUpWindow.TotalHours:0.#} h.";
            foreach (var domain in domains)
            {
                started.Add(await RecordAsync(db, plan, run, domain, BackupStatus.Missed, reason, ct).ConfigureAwait(false));
            }

            jobs.Enqueue<NotificationJob>(j => j.RunMissedAsync(plan.Id, run, CancellationToken.None));
            return started;
        }

        var busy = await db.Backups.AsNoTracking()
            .Where(b => b.DomainId != null && domainIds.Contains(b.DomainId.Value) && (b.Status == BackupStatus.Queued || b.Status == BackupStatus.Running))
            .Select(b => b.DomainId!.Value).Distinct().ToListAsync(ct).ConfigureAwait(false);
        var destinations = plan.Destinations.Select(d => d.DestinationId).ToList();
        jobs.Enqueue<NotificationJob>(j => j.RunStartedAsync(plan.Id, run, CancellationToken.None));
        foreach (var domain in domains)
        {
            if (busy.Contains(domain.Id))
            {
                started.Add(await RecordAsync(db, plan, run, domain, BackupStatus.Skipped, "Skipped: the previous backup of this domain was still running.", ct).ConfigureAwait(false));
                continue;
            }

            try
            {
                started.Add(await backups.QueueForPlanAsync(domain.Id, plan.Type, destinations, plan.Id, plan.Name, run, ct).ConfigureAwait(false));
            }
            catch (InvalidOperationException ex)
            {
                // A destination was disabled or removed since: the run is recorded as failed, with the reason.
                started.Add(await RecordAsync(db, plan, run, domain, BackupStatus.Failed, ex.Message, ct).ConfigureAwait(false));
            }
        }

        return started;
    }

    /// <summary>A backup row that is finished as soon as it is made; all but Missed report themselves (a missed run reports once).</summary>
    private async Task<Guid> RecordAsync(BackupPanelDbContext db, Plan plan, Guid run, Domains.Domain domain, BackupStatus status, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var backup = new Backup
        {
            Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Type = plan.Type, Status = status, CreatedAt = now,
            FinishedAt = now, RequestedBy = $"plan {plan.Name}", PlanId = plan.Id, PlanRunId = run, Error = reason,
        };
        db.Backups.Add(backup);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        if (status != BackupStatus.Missed)
        {
            jobs.Enqueue<NotificationJob>(j => j.BackupFinishedAsync(backup.Id, CancellationToken.None));
        }

        return backup.Id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan {PlanId} is gone or disabled: nothing to run.")]
    private static partial void LogNotRun(ILogger logger, Guid planId);
}
