using BackupPanel.Core.Data;
using BackupPanel.Core.Notifications;
using BackupPanel.Core.Plans;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Dashboard;

/// <summary>
/// Every few minutes: tells people about domains that have gone too long without a good backup (once per episode:
/// a new good backup ends it), records today's stored size per destination for the dashboard's chart, and trims the
/// notification log.
/// </summary>
public sealed class WatchJob(IDbContextFactory<BackupPanelDbContext> dbFactory, ProtectionService protection, Notifier notifier, TimeProvider clock)
{
    public const string RecurringId = "watch";

    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Watch domains and storage")]
    public async Task RunAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var overdue = (await protection.AssessAllAsync(ct).ConfigureAwait(false)).Where(d => d.Overdue).ToList();
        var enabled = overdue.Count == 0 ? [] : await db.Plans.AsNoTracking().Include(p => p.Domains).Where(p => p.Enabled).ToListAsync(ct).ConfigureAwait(false);
        foreach (var domain in overdue)
        {
            var plans = enabled.Where(p => p.Domains.Any(d => d.DomainId == domain.DomainId)).ToList();
            var facts = new NotificationFacts(NotificationEvents.DomainAtRisk, $"{domain.DomainName} has no recent good backup")
            {
                DomainName = domain.DomainName, Error = domain.Reason, LinkPath = $"domains/{domain.DomainId}",
                Details = [domain.LastSuccess is { } at ? $"Last good backup: {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "Never backed up successfully"],
            };
            // One message per episode (until a new good backup): routed by the first plan, the other plans' addresses added.
            var plan = plans.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).First();
            var others = plans.Where(p => p != plan && p.NotifyOn.HasFlag(NotificationEvents.DomainAtRisk)).SelectMany(p => p.NotifyEmails);
            await notifier.RaiseAsync(facts with { PlanId = plan.Id, PlanName = plan.Name }, PlanRoutes.Of(plan), others,
                $"at-risk:{domain.DomainId:N}:{domain.LastSuccess?.ToUnixTimeSeconds() ?? 0}", ct).ConfigureAwait(false);
        }

        await SampleStorageAsync(db, ct).ConfigureAwait(false);

        // The log is kept 180 days; "already said" marks 60 days (a domain still at risk by then is reminded once more).
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.CreatedAt < now.AddDays(-180)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        await db.NotificationMarks.Where(m => m.CreatedAt < now.AddDays(-60)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
    }

    private async Task SampleStorageAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var s in await DashboardService.StorageNowAsync(db, ct).ConfigureAwait(false))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO storage_samples ("Day", "DestinationId", "Bytes", "Backups") VALUES ({day}, {s.Id}, {s.Bytes}, {s.Backups})
                ON CONFLICT ("Day", "DestinationId") DO UPDATE SET "Bytes" = excluded."Bytes", "Backups" = excluded."Backups"
                """, ct).ConfigureAwait(false);
        }
    }
}
