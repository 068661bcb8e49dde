using MySqlConnector;
using Npgsql;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Whether an account could make a dump run something on the database server itself: a PostgreSQL superuser (or a
/// member of pg_execute_server_program / pg_read_server_files / pg_write_server_files: COPY … PROGRAM, server files),
/// a MySQL/MariaDB account with SUPER or FILE (SELECT … INTO OUTFILE, LOAD DATA INFILE) or ALL PRIVILEGES on *.*.
/// The client sandboxes stop a dump's client commands, not the server's own SQL: imports refuse such accounts unless an
/// Admin confirms.
/// </summary>
public static class DatabasePrivileges
{
    /// <summary>What makes the account dangerous, in words ("superuser", "SUPER, FILE"), or null when nothing does.</summary>
    public static async Task<string?> DangerousAsync(DatabaseConnection server, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.Engine == DatabaseEngine.PostgreSql ? await PostgreSqlAsync(server, ct).ConfigureAwait(false) : await MySqlAsync(server, ct).ConfigureAwait(false);
    }

    private static async Task<string?> PostgreSqlAsync(DatabaseConnection server, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(PostgreSqlSource.ConnectionString(server, "postgres"));
        await using var scope = connection.ConfigureAwait(false);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var command = new NpgsqlCommand(
            "SELECT rolsuper, pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') OR pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') "
            + "OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') FROM pg_roles WHERE rolname = current_user", connection);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return reader.GetBoolean(0) ? "superuser" : reader.GetBoolean(1) ? "server program or file access" : null;
    }

    private static async Task<string?> MySqlAsync(DatabaseConnection server, CancellationToken ct)
    {
        var connection = new MySqlConnection(MySqlSource.ConnectionString(server, null));
        await using var scope = connection.ConfigureAwait(false);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var command = new MySqlCommand("SHOW GRANTS FOR CURRENT_USER()", connection);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var grant = reader.GetString(0).ToUpperInvariant();
            if (!grant.Contains(" ON *.* ", StringComparison.Ordinal))
            {
                continue; // privileges on one database cannot reach the server's files
            }

            foreach (var privilege in new[] { "ALL PRIVILEGES", "SUPER", "FILE" })
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(grant, $@"(GRANT |, ){privilege}(,| ON )"))
                {
                    found.Add(privilege);
                }
            }
        }

        return found.Count > 0 ? string.Join(", ", found) : null;
    }
}
