using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Notifications;

/// <summary>
/// Sends one logged notification and records the outcome; a failed attempt is tried again later
/// (<see cref="NotificationOptions.DelayAfter"/>), and after the last one the row says Failed with the reason.
/// Runs as its own job, so a slow or dead endpoint never holds up a backup.
/// </summary>
public sealed partial class NotificationDelivery(
    IDbContextFactory<BackupPanelDbContext> dbFactory, EmailSender email, WebhookSender webhooks, SecretProtector secrets, IPlanRoutes routes,
    IBackgroundJobClient jobs, NotificationOptions options, TimeProvider clock, ILogger<NotificationDelivery> log)
{
    public async Task DeliverAsync(Guid notificationId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var n = await db.Notifications.SingleOrDefaultAsync(x => x.Id == notificationId, ct).ConfigureAwait(false);
        if (n is not { Status: NotificationStatus.Pending })
        {
            return; // sent already (a retried job), or removed
        }

        n.Attempts++;
        try
        {
            await SendAsync(db, n, ct).ConfigureAwait(false);
            n.Status = NotificationStatus.Sent;
            n.SentAt = clock.GetUtcNow();
            n.LastError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Anything else (a bug, a key ring that cannot decrypt the secret) is still recorded, never left "Pending".
            n.LastError = RunLog.Clip(ex is NotificationDeliveryException ? ex.Message : $"Unexpected error: {ex.Message}", 2000);
            if (options.DelayAfter(n.Attempts) is { } wait)
            {
                jobs.Schedule<NotificationJob>(j => j.DeliverAsync(n.Id, CancellationToken.None), wait);
            }
            else
            {
                n.Status = NotificationStatus.Failed;
            }

            LogFailed(log, n.Channel, n.Shown, n.Attempts, ex.Message);
        }

        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SendAsync(BackupPanelDbContext db, Notification n, CancellationToken ct)
    {
        switch (n.Channel)
        {
            case NotificationChannel.Email:
                var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(ct).ConfigureAwait(false);
                if (settings is not { EmailReady: true })
                {
                    throw new NotificationDeliveryException("Email is not set up (Admin → Notifications).");
                }

                await email.SendAsync(settings, Password(settings), n.Recipient, n.Subject, n.Body, n.Html, ct).ConfigureAwait(false);
                break;
            case NotificationChannel.Webhook:
                var secret = (await routes.GetAsync(n.PlanId, ct).ConfigureAwait(false))?.WebhookSecretCipher
                    ?? throw new NotificationDeliveryException("The plan or its webhook secret was removed.");
                await webhooks.PostJsonAsync(n.Recipient, secrets.Unprotect(secret), NotificationEventNames.Key(n.Event), n.Id, n.Body, ct).ConfigureAwait(false);
                break;
            default:
                await webhooks.PingAsync(n.Recipient, n.Body, ct).ConfigureAwait(false);
                break;
        }
    }

    internal string? Password(NotificationSettings settings) => settings.SmtpPasswordCipher is { } c ? secrets.Unprotect(c) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Channel} notification to {Recipient} failed (attempt {Attempts}): {Reason}")]
    private static partial void LogFailed(ILogger logger, NotificationChannel channel, string recipient, int attempts, string reason);
}
