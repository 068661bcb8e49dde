using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackupPanel.Core.Domains;

public static class DomainsServiceCollectionExtensions
{
    /// <summary>Domains: the catalog of what is backed up, and its checks.</summary>
    public static IServiceCollection AddBackupPanelDomains(this IServiceCollection services)
    {
        services.TryAddSingleton(new Databases.DatabaseStallTimeout(Databases.DatabaseConnection.DefaultStallTimeout));
        services.AddSingleton<DomainService>();
        services.AddSingleton<DomainChecker>();
        services.AddSingleton<Security.Paths.IPathsInUse, DomainPathsInUse>();
        return services;
    }
}
