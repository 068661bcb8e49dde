using BackupPanel.Core.Runs;
using MySqlConnector;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Dumps a MySQL/MariaDB database with <c>mariadb-dump</c> (or <c>mysqldump</c>) <c>--single-transaction --routines
/// --triggers --events</c>. Credentials go in a 0600 option file that is removed right after.
/// </summary>
public static partial class MySqlSource
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
        // The database's own defaults first, as SQL any client applies to the database it loads into (`mariadb NEW <
        // dump.sql` too): a copy under another name, or on a fresh server, keeps its character set and collation, and
        // so do the routines, triggers and events created after it. Before, such a copy took the server's defaults.
        await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(await DefaultsLineAsync(database, ct).ConfigureAwait(false)), ct).ConfigureAwait(false);
        var optionFile = await WriteOptionFileAsync(database, ct).ConfigureAwait(false);
        try
        {
            await DumpProcess.DumpAsync(tool,
                [$"--defaults-extra-file={optionFile}", "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob", "--default-character-set=utf8mb4", "--", database.Name],
                new Dictionary<string, string>(), output, database.StallTimeout, ct).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(optionFile);
        }
    }

    /// <summary>
    /// <c>/*!40101 ALTER DATABASE CHARACTER SET x COLLATE y */;</c> for the database's defaults (names checked to be
    /// plain identifiers), or a comment saying they could not be read.
    /// </summary>
    internal static async Task<string> DefaultsLineAsync(DatabaseConnection database, CancellationToken ct)
    {
        var connection = new MySqlConnection(ConnectionString(database, database.Name));
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var command = new MySqlCommand("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @n", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("n", database.Name);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetString(0) is var charset && reader.GetString(1) is var collation
            && Identifier().IsMatch(charset) && Identifier().IsMatch(collation))
        {
            return $"-- BackupPanel: the database's defaults, applied to whichever database this dump is loaded into\n/*!40101 ALTER DATABASE CHARACTER SET {charset} COLLATE {collation} */;\n";
        }

        return "-- BackupPanel: the database's default character set could not be read\n";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex Identifier();

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
