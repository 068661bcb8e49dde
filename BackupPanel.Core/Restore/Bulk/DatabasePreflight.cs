using System.Globalization;
using BackupPanel.Core.Backups.Sources;
using BackupPanel.Core.Domains;
using MySqlConnector;
using Npgsql;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// The preflight of one database restore: the server answers with the domain's credentials, a restore tool for its
/// version is installed, and whether the target database exists and holds tables (which the restore replaces).
/// Reads only.
/// </summary>
internal static class DatabasePreflight
{
    public static async Task<List<PreflightFinding>> CheckAsync(DomainDatabase database, string? password, string target, bool safetyBackup, CancellationToken ct)
    {
        var findings = new List<PreflightFinding>();
        try
        {
            if (database.Engine == DatabaseEngine.PostgreSql)
            {
                await CheckPostgreSqlAsync(database, password, target, safetyBackup, findings, ct);
            }
            else
            {
                await CheckMySqlAsync(database, password, target, safetyBackup, findings, ct);
            }
        }
        catch (BackupSourceException ex)
        {
            findings.Add(new PreflightFinding(PreflightLevel.Error, ex.Message));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            findings.Add(new PreflightFinding(PreflightLevel.Error,
                $"PostgreSQL at {database.Host}:{database.Port}: cannot look at database {target} ({(ex as PostgresException)?.MessageText ?? ex.Message})."));
        }

        return findings;
    }

    private static async Task CheckPostgreSqlAsync(DomainDatabase database, string? password, string target, bool safetyBackup, List<PreflightFinding> findings, CancellationToken ct)
    {
        var major = await PostgreSqlSource.ServerMajorAsync(database, password, ct);
        var tool = PostgreSqlSource.FindPgRestore(major);
        findings.Add(Ok($"PostgreSQL {major} at {database.Host}:{database.Port} answers as {database.User}; restore tool {tool}."));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = database.Host, Port = database.Port, Database = database.Name, Username = database.User, Password = password, Timeout = 10, Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        var exists = await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", target, ct);
        if (!exists)
        {
            var canCreate = await ScalarAsync<bool>(connection, "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user", null, ct);
            findings.Add(canCreate ? Ok($"Database {target} does not exist: it will be created.")
                : new PreflightFinding(PreflightLevel.Error, $"Database {target} does not exist and {database.User} may not create databases: create it first, or give the user CREATEDB."));
            return;
        }

        builder.Database = target;
        await using var targetConnection = new NpgsqlConnection(builder.ConnectionString);
        await targetConnection.OpenAsync(ct);
        var tables = await ScalarAsync<long>(targetConnection,
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", null, ct);
        findings.Add(Tables(target, tables, safetyBackup));
    }

    private static async Task CheckMySqlAsync(DomainDatabase database, string? password, string target, bool safetyBackup, List<PreflightFinding> findings, CancellationToken ct)
    {
        var version = await MySqlSource.ServerVersionAsync(database, password, ct);
        var client = DatabaseRestorer.FindMySqlClient();
        if (client is null)
        {
            findings.Add(new PreflightFinding(PreflightLevel.Error, "Neither mariadb nor mysql (the client) is installed: install mariadb-client."));
            return;
        }

        findings.Add(Ok($"MySQL/MariaDB {version} at {database.Host}:{database.Port} answers as {database.User}; restore tool {client}."));
        var builder = new MySqlConnectionStringBuilder
        {
            Server = database.Host, Port = (uint)database.Port, UserID = database.User, Password = password ?? "", ConnectionTimeout = 10, Pooling = false,
        };
        try
        {
            await using var connection = new MySqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new MySqlCommand(
                "SELECT (SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = @name), (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @name)", connection);
            command.Parameters.AddWithValue("@name", target);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            findings.Add(reader.GetInt64(0) == 0 ? Ok($"Database {target} does not exist: it will be created.") : Tables(target, reader.GetInt64(1), safetyBackup));
        }
        catch (MySqlException ex)
        {
            findings.Add(new PreflightFinding(PreflightLevel.Error, $"MySQL at {database.Host}:{database.Port}: cannot look at database {target} ({ex.Message})."));
        }
    }

    private static PreflightFinding Tables(string target, long tables, bool safetyBackup) => tables == 0
        ? Ok($"Database {target} exists and is empty.")
        : new PreflightFinding(PreflightLevel.Warning,
            $"Database {target} has {tables.ToString("N0", CultureInfo.InvariantCulture)} table(s): the dump's tables replace them{(safetyBackup ? " (a safety backup is taken first)" : "")}.");

    private static PreflightFinding Ok(string text) => new(PreflightLevel.Ok, text);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string? name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }

        return (T)(await command.ExecuteScalarAsync(ct) ?? default(T)!);
    }
}
