using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>Email (MailKit), webhooks and pings; the notification log; the dashboard and its at-risk watch.</summary>
    public static IServiceCollection AddBackupPanelNotifications(this IServiceCollection services, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddSingleton<EmailSender>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<Notifier>();
        services.AddSingleton<EventReports>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<NotificationSettingsService>();
        services.AddSingleton<NotificationLog>();
        services.AddTransient<NotificationJob>();
        services.AddSingleton<Dashboard.ProtectionService>();
        services.AddSingleton<Dashboard.DashboardService>();
        services.AddTransient<Dashboard.WatchJob>();
        return services;
    }
}
