using BackupPanel.Core.Data;
using BackupPanel.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Plans;

/// <summary>A plan's notification route, for notifications (which know no plan).</summary>
public sealed class PlanRoutes(IDbContextFactory<BackupPanelDbContext> dbFactory) : IPlanRoutes
{
    public async Task<PlanRoute?> GetAsync(Guid? planId, CancellationToken ct)
    {
        if (planId is not { } id)
        {
            return null;
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        return plan is null ? null : Of(plan);
    }

    /// <summary>The route of a plan already loaded.</summary>
    public static PlanRoute Of(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanRoute(plan.Id, plan.Name, plan.NotifyOn, plan.NotifyEmails, plan.WebhookUrl, plan.PingUrl, plan.WebhookSecretCipher);
    }
}
