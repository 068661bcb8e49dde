using BackupPanel.Core.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Backups;

public static class BackupsServiceCollectionExtensions
{
    /// <summary>Backups: starting, running, verifying, listing, deleting.</summary>
    public static IServiceCollection AddBackupPanelBackups(this IServiceCollection services)
    {
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupRunner>();
        services.AddTransient<RunBackupJob>();
        services.AddSingleton<BackupVerifier>();
        services.AddSingleton<CatalogImport>();
        services.AddTransient<VerifyBackupJob>();
        services.AddSingleton<IInterruptedRuns, InterruptedBackups>();
        services.AddTransient<CleanLeftoversJob>();
        return services;
    }
}
