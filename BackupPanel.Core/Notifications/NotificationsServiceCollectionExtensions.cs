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
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
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
