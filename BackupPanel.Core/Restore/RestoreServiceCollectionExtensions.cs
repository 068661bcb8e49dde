using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Restore;

public static class RestoreServiceCollectionExtensions
{
    /// <summary>Restores: starting, running, showing.</summary>
    public static IServiceCollection AddBackupPanelRestore(this IServiceCollection services)
    {
        services.AddSingleton<RestoreService>();
        services.AddSingleton<RestoreRunner>();
        services.AddTransient<RunRestoreJob>();
        return services;
    }
}
