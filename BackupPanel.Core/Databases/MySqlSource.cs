using BackupPanel.Core.Runs;
using MySqlConnector;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Dumps a MySQL/MariaDB database with <c>mariadb-dump</c> (or <c>mysqldump</c>) <c>--single-transaction --routines
/// --triggers --events</c>. Credentials go in a 0600 option file that is removed right after.
/// </summary>
public static class MySqlSource
{
    /// <summary>The server's version string, or a <see cref="RunFailedException"/> saying why it cannot be reached.</summary>
    public static async Task<string> ServerVersionAsync(DatabaseConnection database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            var connection = new MySqlConnection(ConnectionString(database, database.Name));
            await using var connectionScope = connection.ConfigureAwait(false);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection.ServerVersion;
        }
        catch (MySqlException ex)
        {
            var reason = ex.ErrorCode switch
            {
                MySqlErrorCode.AccessDenied => "the user name or password is wrong.",
                MySqlErrorCode.UnknownDatabase => "the database does not exist.",
                MySqlErrorCode.UnableToConnectToHost => "cannot connect (is the server running, and the host and port right?).",
                _ => ex.Message,
            };
            throw new RunFailedException($"MySQL database {database.Name} on {database.Host}:{database.Port}: {reason}", ex);
        }
    }

    /// <summary>Streams the SQL dump into <paramref name="output"/>.</summary>
    public static async Task DumpAsync(DatabaseConnection database, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var tool = DatabaseTools.MySqlDump();
        await ServerVersionAsync(database, ct).ConfigureAwait(false);
        var optionFile = await WriteOptionFileAsync(database, ct).ConfigureAwait(false);
        try
        {
            await DumpProcess.RunAsync(tool,
                [$"--defaults-extra-file={optionFile}", "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob", "--default-character-set=utf8mb4", "--", database.Name],
                new Dictionary<string, string>(), output, ct).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(optionFile);
        }
    }

    /// <summary>A MySqlConnector connection string (10 s timeout, no pooling); <paramref name="name"/> null for no default database.</summary>
    internal static string ConnectionString(DatabaseConnection database, string? name) => new MySqlConnectionStringBuilder
    {
        Server = database.Host, Port = (uint)database.Port, Database = name ?? "", UserID = database.User, Password = database.Password ?? "",
        ConnectionTimeout = 10, Pooling = false,
    }.ConnectionString;

    /// <summary>A 0600 client option file with the connection and credentials; the caller deletes it.</summary>
    internal static async Task<string> WriteOptionFileAsync(DatabaseConnection database, CancellationToken ct)
    {
        var optionFile = Path.Combine(Path.GetTempPath(), $"backuppanel-my-{Guid.NewGuid():N}.cnf");
        var file = new FileStream(optionFile, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        await using (file.ConfigureAwait(false))
        {
            var text = $"[client]\nhost={database.Host}\nport={database.Port}\nuser={Quote(database.User)}\npassword={Quote(database.Password ?? "")}\nprotocol=TCP\n";
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
        }

        return optionFile;
    }

    /// <summary>Option-file values in double quotes, with the escapes MySQL's option parser understands.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
