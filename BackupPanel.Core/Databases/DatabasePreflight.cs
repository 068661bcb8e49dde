using System.Globalization;
using BackupPanel.Core.Runs;
using MySqlConnector;
using Npgsql;

namespace BackupPanel.Core.Databases;

/// <summary>
/// The preflight of one database restore: the server answers with the domain's credentials, a restore tool for its
/// version is installed, and whether the target database exists and holds tables (which the restore replaces).
/// Reads only.
/// </summary>
public static class DatabasePreflight
{
    public static async Task<List<DatabaseFinding>> CheckAsync(DatabaseConnection database, string target, bool safetyBackup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var findings = new List<DatabaseFinding>();
        try
        {
            if (database.Engine == DatabaseEngine.PostgreSql)
            {
                await CheckPostgreSqlAsync(database, target, safetyBackup, findings, ct).ConfigureAwait(false);
            }
            else
            {
                await CheckMySqlAsync(database, target, safetyBackup, findings, ct).ConfigureAwait(false);
            }
        }
        catch (RunFailedException ex)
        {
            findings.Add(new DatabaseFinding(FindingLevel.Error, ex.Message));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            findings.Add(new DatabaseFinding(FindingLevel.Error,
                $"PostgreSQL at {database.Host}:{database.Port}: cannot look at database {target} ({(ex as PostgresException)?.MessageText ?? ex.Message})."));
        }

        return findings;
    }

    private static async Task CheckPostgreSqlAsync(DatabaseConnection database, string target, bool safetyBackup, List<DatabaseFinding> findings, CancellationToken ct)
    {
        var major = await PostgreSqlSource.ServerMajorAsync(database, ct).ConfigureAwait(false);
        var tool = DatabaseTools.PgRestore(major);
        findings.Add(Ok($"PostgreSQL {major} at {database.Host}:{database.Port} answers as {database.User}; restore tool {tool}."));
        var connection = new NpgsqlConnection(PostgreSqlSource.ConnectionString(database));
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var exists = await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", target, ct).ConfigureAwait(false);
        if (!exists)
        {
            var canCreate = await ScalarAsync<bool>(connection, "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user", null, ct).ConfigureAwait(false);
            findings.Add(canCreate ? Ok($"Database {target} does not exist: it will be created.")
                : new DatabaseFinding(FindingLevel.Error, $"Database {target} does not exist and {database.User} may not create databases: create it first, or give the user CREATEDB."));
            return;
        }

        var targetConnection = new NpgsqlConnection(PostgreSqlSource.ConnectionString(database, target));
        await using var targetConnectionScope = targetConnection.ConfigureAwait(false);
        await targetConnection.OpenAsync(ct).ConfigureAwait(false);
        var tables = await ScalarAsync<long>(targetConnection,
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", null, ct).ConfigureAwait(false);
        findings.Add(Tables(target, tables, safetyBackup));
    }

    private static async Task CheckMySqlAsync(DatabaseConnection database, string target, bool safetyBackup, List<DatabaseFinding> findings, CancellationToken ct)
    {
        var version = await MySqlSource.ServerVersionAsync(database, ct).ConfigureAwait(false);
        var client = DatabaseTools.MySqlClient();
        if (client is null)
        {
            findings.Add(new DatabaseFinding(FindingLevel.Error, "Neither mariadb nor mysql (the client) is installed: install mariadb-client."));
            return;
        }

        findings.Add(Ok($"MySQL/MariaDB {version} at {database.Host}:{database.Port} answers as {database.User}; restore tool {client}."));
        try
        {
            var connection = new MySqlConnection(MySqlSource.ConnectionString(database, null));
            await using var connectionScope = connection.ConfigureAwait(false);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new MySqlCommand(
                "SELECT (SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = @name), (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @name)", connection);
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.AddWithValue("@name", target);
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            findings.Add(reader.GetInt64(0) == 0 ? Ok($"Database {target} does not exist: it will be created.") : Tables(target, reader.GetInt64(1), safetyBackup));
        }
        catch (MySqlException ex)
        {
            findings.Add(new DatabaseFinding(FindingLevel.Error, $"MySQL at {database.Host}:{database.Port}: cannot look at database {target} ({ex.Message})."));
        }
    }

    private static DatabaseFinding Tables(string target, long tables, bool safetyBackup) => tables == 0
        ? Ok($"Database {target} exists and is empty.")
        : new DatabaseFinding(FindingLevel.Warning,
            $"Database {target} has {tables.ToString("N0", CultureInfo.InvariantCulture)} table(s): the dump's tables replace them{(safetyBackup ? " (a safety backup is taken first)" : "")}.");

    private static DatabaseFinding Ok(string text) => new(FindingLevel.Ok, text);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string? name, CancellationToken ct)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using var commandScope = command.ConfigureAwait(false);
        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }

        return (T)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? default(T)!);
    }
}
