using System.Globalization;
using BackupPanel.Core.Runs;
using MySqlConnector;
using Npgsql;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Loads a checked dump file into a database, creating the database when it does not exist. PostgreSQL restores
/// run in one transaction (all or nothing) and replace the objects the dump has; MySQL/MariaDB dumps drop and
/// recreate their tables.
/// </summary>
public static class DatabaseRestorer
{
    /// <summary>Loads <paramref name="dumpFile"/> into the database <paramref name="targetName"/> on <paramref name="database"/>'s server.</summary>
    public static async Task RestoreAsync(DatabaseConnection database, string targetName, string dumpFile, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var target = database with { Name = targetName };
        if (database.Engine == DatabaseEngine.PostgreSql)
        {
            await RestorePostgreSqlAsync(database, target, dumpFile, ct).ConfigureAwait(false);
        }
        else
        {
            await RestoreMySqlAsync(target, dumpFile, ct).ConfigureAwait(false);
        }
    }

    private static async Task RestorePostgreSqlAsync(DatabaseConnection source, DatabaseConnection target, string dumpFile, CancellationToken ct)
    {
        int major;
        try
        {
            major = await PostgreSqlSource.ServerMajorAsync(target, ct).ConfigureAwait(false);
        }
        catch (RunFailedException ex) when (ex.InnerException is PostgresException { SqlState: "3D000" })
        {
            await CreatePostgreSqlDatabaseAsync(source, target.Name, ct).ConfigureAwait(false);
            major = await PostgreSqlSource.ServerMajorAsync(target, ct).ConfigureAwait(false);
        }

        var environment = PostgreSqlSource.Environment(target, "BackupPanel restore");
        var port = target.Port.ToString(CultureInfo.InvariantCulture);
        if (PostgreSqlSource.IsPlainSql(dumpFile))
        {
            // An imported plain-SQL dump: psql in one transaction, stopping at the first error (all or nothing), in
            // restricted mode (\restrict with a key the dump cannot know): a hostile dump's meta-commands (\! shell,
            // \o files, \copy … program) are refused instead of run on this server.
            var psql = DatabaseTools.Psql(major);
            var restricted = await RestrictedSqlAsync(dumpFile, ct).ConfigureAwait(false);
            try
            {
                await DumpProcess.RunAsync(psql,
                    ["--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", "--no-password",
                     "-h", target.Host, "-p", port, "-U", target.User, "-d", target.PostgresDbName, "-f", restricted],
                    environment, Stream.Null, ct).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(restricted);
            }

            return;
        }

        await DumpProcess.RunAsync(DatabaseTools.PgRestore(major),
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--no-password",
             "-h", target.Host, "-p", port, "-U", target.User, "-d", target.PostgresDbName, dumpFile],
            environment, Stream.Null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A copy of a plain-SQL dump that starts with <c>\restrict KEY</c> (a fresh random key) and without the dump's
    /// own \restrict/\unrestrict lines (pg_dump writes them; ours comes first). Latin-1 keeps every byte as it is.
    /// </summary>
    private static async Task<string> RestrictedSqlAsync(string dumpFile, CancellationToken ct)
    {
        var path = dumpFile + ".restricted.sql";
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        using var reader = new StreamReader(dumpFile, System.Text.Encoding.Latin1);
        var writer = new StreamWriter(path, append: false, System.Text.Encoding.Latin1) { NewLine = "\n" };
        await using var writerScope = writer.ConfigureAwait(false);
        await writer.WriteLineAsync($"\\restrict {key}").ConfigureAwait(false);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("\\restrict ", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict ", StringComparison.Ordinal))
            {
                await writer.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return path;
    }

    private static async Task CreatePostgreSqlDatabaseAsync(DatabaseConnection source, string name, CancellationToken ct)
    {
        try
        {
            var connection = new NpgsqlConnection(PostgreSqlSource.ConnectionString(source));
            await using var connectionScope = connection.ConfigureAwait(false);
            try
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == "3D000")
            {
                // The domain's own database does not exist either (an import creates it): ask the maintenance database.
                connection.ConnectionString = PostgreSqlSource.ConnectionString(source, "postgres");
                await connection.OpenAsync(ct).ConfigureAwait(false);
            }

            var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await using var commandScope = command.ConfigureAwait(false);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or RunFailedException)
        {
            throw new RunFailedException(
                $"The database {name} does not exist and {source.User} cannot create it ({(ex as PostgresException)?.MessageText ?? ex.Message}): create it first, or give the user CREATEDB.", ex);
        }
    }

    private static async Task RestoreMySqlAsync(DatabaseConnection target, string dumpFile, CancellationToken ct)
    {
        var client = DatabaseTools.MySqlClient()
            ?? throw new RunFailedException("Neither mariadb nor mysql (the client) is installed: install mariadb-client.");
        await CreateMySqlDatabaseAsync(target, ct).ConfigureAwait(false);
        var optionFile = await MySqlSource.WriteOptionFileAsync(target, ct).ConfigureAwait(false);
        try
        {
            var sql = new FileStream(dumpFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (sql.ConfigureAwait(false))
            {
                // --sandbox: client commands that reach the file system or a shell (\! system, source, tee) are refused,
                // so a hostile imported dump cannot run anything on this server (MariaDB client 10.11.8 or newer).
                await DumpProcess.RunAsync(client, [$"--defaults-extra-file={optionFile}", "--default-character-set=utf8mb4", "--sandbox", "--", target.Name],
                    new Dictionary<string, string>(), sql, Stream.Null, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(optionFile);
        }
    }

    private static async Task CreateMySqlDatabaseAsync(DatabaseConnection target, CancellationToken ct)
    {
        try
        {
            var connection = new MySqlConnection(MySqlSource.ConnectionString(target, null));
            await using var connectionScope = connection.ConfigureAwait(false);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS `{target.Name.Replace("`", "``", StringComparison.Ordinal)}`", connection);
            await using var commandScope = command.ConfigureAwait(false);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw new RunFailedException($"MySQL database {target.Name} on {target.Host}:{target.Port}: cannot create or open it ({ex.Message}).", ex);
        }
    }
}
