using BackupPanel.Core.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>Retention: each plan's rules applied after its backups and nightly, with the same preview.</summary>
    public static IServiceCollection AddBackupPanelRetention(this IServiceCollection services)
    {
        services.AddSingleton<RetentionService>();
        services.AddTransient<ApplyRetentionJob>();
        services.AddSingleton<IRunObserver, RetentionAfterBackup>();
        return services;
    }
}
