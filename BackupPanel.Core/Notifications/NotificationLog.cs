using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Notifications;

/// <summary>The notification log page's query: the newest first, optionally only the ones not delivered.</summary>
public sealed class NotificationLog(IDbContextFactory<BackupPanelDbContext> dbFactory)
{
    public async Task<IReadOnlyList<Notification>> ListAsync(bool undeliveredOnly, int take, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var query = db.Notifications.AsNoTracking();
        if (undeliveredOnly)
        {
            query = query.Where(n => n.Status != NotificationStatus.Sent);
        }

        return await query.OrderByDescending(n => n.CreatedAt).Take(Math.Clamp(take, 1, 1000)).ToListAsync(ct).ConfigureAwait(false);
    }
}
