using BackupPanel.Core.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BackupPanel.Core.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>Email (MailKit), webhooks and pings; the notification log; the reports of every run that ends.</summary>
    public static IServiceCollection AddBackupPanelNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value);
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = sp.GetRequiredService<NotificationOptions>().Timeout)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                // Every connection checked where it is made: a host that resolves to a private address (now, not when
                // the URL was saved) is refused unless an Admin allowed it.
                var guard = sp.GetRequiredService<Security.Paths.PathGuard>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false, UseCookies = false,
                    ConnectCallback = async (context, ct) =>
                        await Security.Network.NetworkRules.ConnectAsync(context.DnsEndPoint, (await guard.GetAsync(ct).ConfigureAwait(false)).PrivateAddresses, ct).ConfigureAwait(false),
                };
            });
        services.AddSingleton<EmailSender>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<Notifier>();
        services.AddSingleton<EventReports>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<NotificationSettingsService>();
        services.AddSingleton<NotificationLog>();
        services.AddTransient<NotificationJob>();
        services.AddSingleton<IRunObserver, ReportRuns>();
        return services;
    }
}
