using BackupPanel.Core.Security;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Data;

/// <summary>
/// Applies EF Core migrations (as the owner role), installs Hangfire's schema and gives the panel's role its row
/// rights when the two differ, then seeds the three roles. Safe to run on every start and on several nodes.
/// </summary>
public sealed class DatabaseInitializer(
    DatabaseConnections connections,
    RoleManager<IdentityRole> roles)
{
    // Any constant works; it only serialises start-up migrations across nodes sharing one database.
    private const long MigrationLockKey = 0x4261636b5061;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var options = new DbContextOptionsBuilder<BackupPanelDbContext>().UseNpgsql(connections.Owner).Options;
        var db = new BackupPanelDbContext(options);
        await using (db.ConfigureAwait(false))
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct).ConfigureAwait(false);
                // EF logs each migration it applies (category Microsoft.EntityFrameworkCore.Migrations).
                await db.Database.MigrateAsync(ct).ConfigureAwait(false);
                if (connections.Separate)
                {
                    var conn = (NpgsqlConnection)db.Database.GetDbConnection();
                    PostgreSqlObjectsInstaller.Install(conn, "hangfire"); // the panel's role cannot create schemas
                    await db.Database.ExecuteSqlRawAsync(GrantsSql(connections.AppRole), ct).ConfigureAwait(false);
                }
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", ct).ConfigureAwait(false);
            }
        }
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role).ConfigureAwait(false)) await roles.CreateAsync(new IdentityRole(role)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What the panel's role may do: read and write rows, never DDL; append to the audit log and read it, never change
    /// or remove an entry. Kept in step with docs/CONFIGURATION.md ("Two roles").
    /// </summary>
    internal static string GrantsSql(string appRole)
    {
        var role = "\"" + appRole.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return $"""
            GRANT USAGE ON SCHEMA public, hangfire TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, hangfire TO {role};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public, hangfire TO {role};
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM {role};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "__EFMigrationsHistory" FROM {role};
            """;
    }
}
