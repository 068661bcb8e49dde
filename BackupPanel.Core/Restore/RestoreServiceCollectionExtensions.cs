using BackupPanel.Core.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Restore;

public static class RestoreServiceCollectionExtensions
{
    /// <summary>Restores, single and bulk: starting, checking, running, showing.</summary>
    public static IServiceCollection AddBackupPanelRestore(this IServiceCollection services)
    {
        services.AddSingleton<RestoreService>();
        services.AddSingleton<RestoreRunner>();
        services.AddTransient<RunRestoreJob>();
        services.AddSingleton<IInterruptedRuns, InterruptedRestores>();
        services.AddSingleton<Bulk.BulkRestoreService>();
        services.AddSingleton<Bulk.BulkPreflight>();
        services.AddSingleton<Bulk.BulkRestoreRunner>();
        services.AddTransient<Bulk.BulkRestoreJob>();
        return services;
    }
}
