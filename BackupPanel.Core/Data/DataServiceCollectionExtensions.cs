using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the DbContext factory (and the scoped context Identity needs), the migrator, and Data Protection
    /// with its key ring stored in PostgreSQL.
    /// </summary>
    public static IServiceCollection AddBackupPanelData(this IServiceCollection services, string connectionString)
    {
        // AddDbContextFactory also registers the context as a scoped service, which Identity's stores use.
        services.AddDbContextFactory<BackupPanelDbContext>(o => o.UseNpgsql(connectionString));
        services.AddScoped<DatabaseInitializer>();
        services.AddDataProtection()
            .SetApplicationName("BackupPanel")
            .PersistKeysToDbContext<BackupPanelDbContext>();
        return services;
    }
}
