using BackupPanel.Core.Data;
using Hangfire;
using Hangfire.PostgreSql;

namespace BackupPanel.Hosting;

internal static class JobsHosting
{
    /// <summary>The Hangfire queues, most urgent first: a restore never waits behind the nightly backups (docs/OPERATIONS.md).</summary>
    public static readonly string[] Queues = ["restores", "backups", "maintenance", "default"];

    /// <summary>
    /// Hangfire on the panel's own PostgreSQL database (schema <c>hangfire</c>). A server (worker) runs in this
    /// process unless the node's role is Web.
    /// </summary>
    public static IServiceCollection AddBackupPanelJobs(this IServiceCollection services, DatabaseConnections connections, BackupPanelOptions options)
    {
        // With an owner role of its own, the schema was installed by DatabaseInitializer: the panel's role cannot.
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(connections.App),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = !connections.Separate }));
        if (options.Role != NodeRoles.Web)
        {
            services.AddHangfireServer(o =>
            {
                o.Queues = Queues;
                o.WorkerCount = options.WorkerCount;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }
        return services;
    }
}
