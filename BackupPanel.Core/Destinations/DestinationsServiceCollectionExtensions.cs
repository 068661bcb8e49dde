using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Destinations;

public static class DestinationsServiceCollectionExtensions
{
    /// <summary>Destinations: where copies of backups are stored.</summary>
    public static IServiceCollection AddBackupPanelDestinations(this IServiceCollection services)
    {
        services.AddSingleton<DestinationService>();
        return services;
    }
}
