using BackupPanel.Core.Domains;
using MySqlConnector;

namespace BackupPanel.Core.Backups.Sources;

/// <summary>
/// Dumps a MySQL/MariaDB database with <c>mariadb-dump</c> (or <c>mysqldump</c>) <c>--single-transaction --routines
/// --triggers --events</c>. Credentials go in a 0600 option file that is removed right after.
/// </summary>
public static class MySqlSource
{
    private static readonly string[] Tools = ["/usr/bin/mariadb-dump", "/usr/bin/mysqldump", "/usr/local/bin/mariadb-dump", "/usr/local/bin/mysqldump"];

    /// <summary>The server's version string, or a <see cref="BackupSourceException"/> saying why it cannot be reached.</summary>
    public static async Task<string> ServerVersionAsync(DomainDatabase database, string? password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var builder = new MySqlConnectionStringBuilder
        {
            Server = database.Host, Port = (uint)database.Port, Database = database.Name, UserID = database.User, Password = password ?? "",
            ConnectionTimeout = 10, Pooling = false,
        };
        try
        {
            await using var connection = new MySqlConnection(builder.ConnectionString);
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
            throw new BackupSourceException($"MySQL database {database.Name} on {database.Host}:{database.Port}: {reason}", ex);
        }
    }

    /// <summary>The dump tool to use, or a clear error when none is installed.</summary>
    public static string FindDumpTool() => Tools.FirstOrDefault(File.Exists)
        ?? throw new BackupSourceException("Neither mariadb-dump nor mysqldump is installed: install mariadb-client (or mysql-client).");

    /// <summary>Streams the SQL dump into <paramref name="output"/>.</summary>
    public static async Task DumpAsync(DomainDatabase database, string? password, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var tool = FindDumpTool();
        await ServerVersionAsync(database, password, ct).ConfigureAwait(false);
        var optionFile = await WriteOptionFileAsync(database, password, ct).ConfigureAwait(false);
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

    /// <summary>A 0600 client option file with the connection and credentials; the caller deletes it.</summary>
    internal static async Task<string> WriteOptionFileAsync(DomainDatabase database, string? password, CancellationToken ct)
    {
        var optionFile = Path.Combine(Path.GetTempPath(), $"backuppanel-my-{Guid.NewGuid():N}.cnf");
        var file = new FileStream(optionFile, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        await using (file.ConfigureAwait(false))
        {
            var text = $"[client]\nhost={database.Host}\nport={database.Port}\nuser={Quote(database.User)}\npassword={Quote(password ?? "")}\nprotocol=TCP\n";
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
        }

        return optionFile;
    }

    /// <summary>Option-file values in double quotes, with the escapes MySQL's option parser understands.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
