using BackupPanel.Core.Security.KeyRing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the DbContext factory (and the scoped context Identity needs), the migrator, and Data Protection
    /// with its key ring stored in PostgreSQL.
    /// </summary>
    public static IServiceCollection AddBackupPanelData(this IServiceCollection services, string connectionString) =>
        services.AddBackupPanelData(new DatabaseConnections(connectionString));

    /// <summary>
    /// As above, with the panel's two roles; with <paramref name="keyRingKey"/>, every Data Protection key is sealed
    /// with that key file before it reaches the database (the panel always passes one; some tests do not).
    /// </summary>
    public static IServiceCollection AddBackupPanelData(this IServiceCollection services, DatabaseConnections connections, KeyRingKey? keyRingKey = null)
    {
        services.AddSingleton(connections);
        // AddDbContextFactory also registers the context as a scoped service, which Identity's stores use.
        services.AddDbContextFactory<BackupPanelDbContext>(o => o.UseNpgsql(connections.App));
        services.AddScoped<DatabaseInitializer>();
        services.AddDataProtection()
            .SetApplicationName("BackupPanel")
            .PersistKeysToDbContext<BackupPanelDbContext>();
        if (keyRingKey is not null)
        {
            services.AddSingleton(keyRingKey);
            services.AddSingleton<KeyRingSealing>();
            services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new KeyFileXmlEncryptor(keyRingKey));
        }
        return services;
    }
}
