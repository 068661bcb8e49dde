using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Destinations;

public static class DestinationsServiceCollectionExtensions
{
    /// <summary>Destinations: where copies of backups are stored.</summary>
    public static IServiceCollection AddBackupPanelDestinations(this IServiceCollection services, string? spoolDirectory = null)
    {
        services.AddSingleton(sp => new DestinationStorage(sp.GetRequiredService<Security.SecretProtector>(), sp.GetRequiredService<TimeProvider>())
        {
            SpoolDirectory = spoolDirectory ?? DestinationStorage.DefaultSpoolDirectory,
            Guard = sp.GetRequiredService<Security.Paths.PathGuard>(),
        });
        services.AddSingleton<DestinationService>();
        services.AddSingleton<Security.Paths.IPathsInUse, LocalPathsInUse>();
        return services;
    }
}
