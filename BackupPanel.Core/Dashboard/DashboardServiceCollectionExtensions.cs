using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard: protection of every domain, activity, storage; the watch job (at-risk emails, storage samples).</summary>
    public static IServiceCollection AddBackupPanelDashboard(this IServiceCollection services)
    {
        services.AddSingleton<ProtectionService>();
        services.AddSingleton<DashboardService>();
        services.AddTransient<WatchJob>();
        return services;
    }
}
