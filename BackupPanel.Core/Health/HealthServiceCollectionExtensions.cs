using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>The system status probe and the readiness check behind /readyz.</summary>
    public static IServiceCollection AddBackupPanelHealth(this IServiceCollection services, NodeInfo node)
    {
        services.AddSingleton(node);
        services.AddSingleton<SystemStatusService>();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready", tags: ["ready"]);
        return services;
    }
}
