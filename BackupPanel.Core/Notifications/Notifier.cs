using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Notifications;

/// <summary>
/// Turns an event into logged notifications — one per email address (the admin list if it takes this event, the
/// plan's addresses if the plan does, and any extra such as a restore's requester), one per webhook — and queues
/// their delivery. An event with a key is said once, however often it is raised (<see cref="NotificationMark"/>).
/// </summary>
public sealed class Notifier(IDbContextFactory<BackupPanelDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>Logs and queues the notifications for <paramref name="facts"/>; returns how many were made.</summary>
    public async Task<int> RaiseAsync(NotificationFacts facts, PlanRoute? plan, IEnumerable<string>? extraEmails, string? onceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        if (onceKey is not null && !await MarkAsync(db, onceKey, ct).ConfigureAwait(false))
        {
            return 0;
        }

        var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(ct).ConfigureAwait(false) ?? new NotificationSettings();
        var e = facts.Event;
        var now = clock.GetUtcNow();
        var rows = new List<Notification>();
        if (settings.EmailReady)
        {
            var to = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            if (settings.AdminEvents.HasFlag(e)) to.UnionWith(settings.AdminEmails);
            if (plan is not null && plan.NotifyOn.HasFlag(e)) to.UnionWith(plan.Emails);
            to.UnionWith(extraEmails ?? []);
            var text = facts.Text(settings.PanelUrl);
            var html = facts.Html(settings.PanelUrl);
            rows.AddRange(to.Select(address => Row(facts, plan, now, NotificationChannel.Email, address, text, html)));
        }

        if (plan is { WebhookUrl: { Length: > 0 } url } && plan.NotifyOn.HasFlag(e))
        {
            var row = Row(facts, plan, now, NotificationChannel.Webhook, url, "", null);
            row.Body = facts.WebhookJson(row.Id, now, settings.PanelUrl);
            rows.Add(row);
        }

        await SaveAndQueueAsync(db, rows, ct).ConfigureAwait(false);
        return rows.Count;
    }

    /// <summary>Pings the plan's URL for a run: "start" (null suffix for success, "fail" for failure).</summary>
    public async Task PingAsync(PlanRoute plan, Guid runId, string? suffix, string body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.PingUrl is not { Length: > 0 } url)
        {
            return;
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var row = new Notification
        {
            Id = Guid.NewGuid(), CreatedAt = clock.GetUtcNow(), Event = NotificationEvents.None, Channel = NotificationChannel.Ping,
            Recipient = WebhookSender.PingUrl(url, suffix, runId), Subject = $"Run {suffix ?? "success"}: plan {plan.PlanName}", Body = RunLog.Clip(body, 10_000),
            PlanId = plan.PlanId, Status = NotificationStatus.Pending,
        };
        await SaveAndQueueAsync(db, [row], ct).ConfigureAwait(false);
    }

    /// <summary>Claims <paramref name="key"/>: true for the first caller only, across nodes.</summary>
    internal static async Task<bool> MarkAsync(BackupPanelDbContext db, string key, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO notification_marks ("Key", "CreatedAt") VALUES ({key}, now()) ON CONFLICT DO NOTHING""", ct).ConfigureAwait(false) == 1;

    private async Task SaveAndQueueAsync(BackupPanelDbContext db, List<Notification> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        db.Notifications.AddRange(rows);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            jobs.Enqueue<NotificationJob>(j => j.DeliverAsync(row.Id, CancellationToken.None));
        }
    }

    private static Notification Row(NotificationFacts facts, PlanRoute? plan, DateTimeOffset now, NotificationChannel channel, string to, string body, string? html) => new()
    {
        Id = Guid.NewGuid(), CreatedAt = now, Event = facts.Event, Channel = channel, Recipient = to, Subject = facts.Subject, Body = body,
        Html = html, PlanId = plan?.PlanId, BackupId = facts.BackupId, DomainName = facts.DomainName, Status = NotificationStatus.Pending,
    };
}
