using BackupPanel.Core.Data;
using Npgsql;

namespace BackupPanel.Hosting;

/// <summary>
/// Chooses the database: <c>ConnectionStrings:BackupPanel</c> (and <c>BackupPanelOwner</c> for migrations, when
/// given) when set, else the embedded cluster, started closed with its two roles.
/// </summary>
internal static class DatabaseHosting
{
    public const string ConnectionStringName = "BackupPanel";
    public const string OwnerConnectionStringName = "BackupPanelOwner";

    /// <summary>Returns the connections to use and the embedded server when this process started or reused one.</summary>
    public static async Task<(DatabaseConnections Connections, EmbeddedPostgres? Embedded)> ResolveAsync(
        IConfiguration config, BackupPanelOptions options, CancellationToken ct, ILogger? log = null)
    {
        var dataDirectory = options.ResolveDataDirectory();
        DataFolder.Secure(dataDirectory);
        var configured = config.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await CheckReachableAsync(configured, "the PostgreSQL server named by ConnectionStrings:BackupPanel", ct);
            var owner = config.GetConnectionString(OwnerConnectionStringName);
            if (string.IsNullOrWhiteSpace(owner)) return (new DatabaseConnections(configured), null);
            await CheckReachableAsync(owner, "the PostgreSQL server named by ConnectionStrings:BackupPanelOwner", ct);
            return (new DatabaseConnections(configured, owner), null);
        }

        var dir = Path.Combine(dataDirectory, "pg");
        var held = DataFolderLock.TryTake(dataDirectory, out var holder);
        if (held is null && options.Role != NodeRoles.Worker)
        {
            throw new StartupException($"Another BackupPanel process{(holder is { } pid ? $" (pid {pid})" : "")} already runs on the data folder {dataDirectory}. " +
                "Stop it first, or give this one its own BackupPanel:DataDirectory (docs/CONFIGURATION.md, several nodes).");
        }

        if (held is null && !File.Exists(EmbeddedRoles.SecretsFile(dataDirectory)))
        {
            throw new StartupException($"The embedded database in {dir} is not running. Start the panel that owns this data folder first.");
        }

        var secrets = EmbeddedRoles.LoadOrCreate(dataDirectory, File.Exists(Path.Combine(dir, "data", "PG_VERSION")));
        if (held is null)
        {
            // A worker beside the panel that owns this folder: it uses the running cluster and never stops it.
            var attached = await EmbeddedPostgres.AttachAsync(dir, secrets.Superuser, ct);
            return (new DatabaseConnections(
                attached.ConnectionStringFor(EmbeddedRoles.App, secrets.App, EmbeddedRoles.Database),
                attached.ConnectionStringFor(EmbeddedRoles.Owner, secrets.Owner, EmbeddedRoles.Database)), attached);
        }

        EmbeddedPostgres embedded;
        try
        {
            embedded = await EmbeddedPostgres.StartPrivateAsync(dir, secrets.Superuser, options.EmbeddedDatabasePort, ct);
        }
        catch
        {
            held.Dispose();
            throw;
        }
        embedded.OwnerLock = held;
        var moved = await EmbeddedRoles.EnsureAsync(embedded, secrets, ct);
        if (embedded.Upgraded || moved > 0)
        {
            log?.LogWarning(
                "Upgraded the embedded database in {Directory}: no TCP listener, the socket in a 0700 folder, passwords (scram-sha-256) for every role; " +
                "{Moved} objects now owned by {Owner}, and the panel runs as {App}, which owns nothing.", dir, moved, EmbeddedRoles.Owner, EmbeddedRoles.App);
        }
        return (new DatabaseConnections(
            embedded.ConnectionStringFor(EmbeddedRoles.App, secrets.App, EmbeddedRoles.Database),
            embedded.ConnectionStringFor(EmbeddedRoles.Owner, secrets.Owner, EmbeddedRoles.Database)), embedded);
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
