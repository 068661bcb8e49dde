using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Plans;

/// <summary>
/// One run of a plan: a backup of each of its domains to its destinations. A domain whose previous backup is still
/// queued or running is not started twice: the run records a Skipped backup for it, with the reason.
/// </summary>
public sealed partial class PlanRunner(IDbContextFactory<BackupPanelDbContext> dbFactory, BackupService backups, TimeProvider clock, ILogger<PlanRunner> log)
{
    /// <summary>Starts the plan's backups; returns the ids of the backups queued and skipped, in domain order.</summary>
    public async Task<IReadOnlyList<Guid>> RunAsync(Guid planId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await db.Plans.AsNoTracking().Include(p => p.Domains).Include(p => p.Destinations).SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null || !plan.Enabled)
        {
            LogNotRun(log, planId);
            return [];
        }

        var domainIds = plan.Domains.Select(d => d.DomainId).ToList();
        var domains = await db.Domains.AsNoTracking().Where(d => domainIds.Contains(d.Id)).OrderBy(d => d.Name).ToListAsync(ct);
        var busy = await db.Backups.AsNoTracking()
            .Where(b => b.DomainId != null && domainIds.Contains(b.DomainId.Value) && (b.Status == BackupStatus.Queued || b.Status == BackupStatus.Running))
            .Select(b => b.DomainId!.Value).Distinct().ToListAsync(ct);
        var destinations = plan.Destinations.Select(d => d.DestinationId).ToList();

        var started = new List<Guid>();
        foreach (var domain in domains)
        {
            if (busy.Contains(domain.Id))
            {
                started.Add(await RecordSkippedAsync(db, plan, domain, ct));
                continue;
            }

            try
            {
                started.Add(await backups.QueueForPlanAsync(domain.Id, plan.Type, destinations, plan.Id, plan.Name, ct));
            }
            catch (InvalidOperationException ex)
            {
                // A destination was disabled or removed since: the run is recorded as failed, with the reason.
                started.Add(await RecordAsync(db, plan, domain, BackupStatus.Failed, ex.Message, ct));
            }
        }

        return started;
    }

    private Task<Guid> RecordSkippedAsync(BackupPanelDbContext db, Plan plan, Domains.Domain domain, CancellationToken ct) =>
        RecordAsync(db, plan, domain, BackupStatus.Skipped, "Skipped: the previous backup of this domain was still running.", ct);

    private async Task<Guid> RecordAsync(BackupPanelDbContext db, Plan plan, Domains.Domain domain, BackupStatus status, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var backup = new Backup
        {
            Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Type = plan.Type, Status = status, CreatedAt = now,
            FinishedAt = now, RequestedBy = $"plan {plan.Name}", PlanId = plan.Id, Error = reason,
        };
        db.Backups.Add(backup);
        await db.SaveChangesAsync(ct);
        return backup.Id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan {PlanId} is gone or disabled: nothing to run.")]
    private static partial void LogNotRun(ILogger logger, Guid planId);
}
