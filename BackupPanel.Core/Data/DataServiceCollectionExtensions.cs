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
        services.AddSingleton(new DatabaseConnection(connectionString));
        services.AddScoped<DatabaseInitializer>();
        services.AddDataProtection()
            .SetApplicationName("BackupPanel")
            .PersistKeysToDbContext<BackupPanelDbContext>();
        return services;
    }
}

/// <summary>The PostgreSQL connection string in use (embedded or configured). Never logged: it may hold a password.</summary>
public sealed record DatabaseConnection(string ConnectionString)
{
    public override string ToString() => "DatabaseConnection";
}
