using Npgsql;

namespace BackupPanel.Hosting;

/// <summary>Chooses the database: <c>ConnectionStrings:BackupPanel</c> when set, else the embedded cluster.</summary>
internal static class DatabaseHosting
{
    public const string ConnectionStringName = "BackupPanel";

    /// <summary>Returns the connection string to use and the embedded server when one was started.</summary>
    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveAsync(
        IConfiguration config, BackupPanelOptions options, CancellationToken ct)
    {
        DataFolder.Secure(options.ResolveDataDirectory());
        var configured = config.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await CheckReachableAsync(configured, "the PostgreSQL server named by ConnectionStrings:BackupPanel", ct);
            return (configured, null);
        }
        var dir = Path.Combine(options.ResolveDataDirectory(), "pg");
        var embedded = await EmbeddedPostgres.StartAsync(dir, options.EmbeddedDatabasePort, ct: ct);
        var cs = new NpgsqlConnectionStringBuilder(embedded.ConnectionString) { Database = "backuppanel" }.ConnectionString;
        await EnsureDatabaseAsync(embedded.ConnectionString, "backuppanel", ct);
        return (cs, embedded);
    }

    private static async Task EnsureDatabaseAsync(string adminConnectionString, string name, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(adminConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        exists.Parameters.AddWithValue("n", name);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task CheckReachableAsync(string cs, string what, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(cs);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"ConnectionStrings:BackupPanel is not a valid PostgreSQL connection string: {ex.Message}");
        }
        // Try for a little while: the server may be starting alongside the panel (systemd, compose).
        var deadline = DateTime.UtcNow.AddSeconds(parsed.Timeout > 0 ? Math.Min(parsed.Timeout * 2, 30) : 15);
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(cs);
                await conn.OpenAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                if (ex is PostgresException pg && pg.SqlState is "28P01" or "28000" or "3D000")
                    throw new StartupException($"Cannot use {what} (host {parsed.Host}, port {parsed.Port}, database {parsed.Database}): {pg.MessageText}. Check the user, password and database name.");
                if (DateTime.UtcNow > deadline)
                    throw new StartupException($"Cannot reach {what} at {parsed.Host}:{parsed.Port}: {ex.Message}. Is the server running and accepting connections?");
                await Task.Delay(500, ct);
            }
        }
    }
}
