using System.Globalization;
using System.Text.RegularExpressions;
using BackupPanel.Core.Runs;
using Npgsql;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Dumps a PostgreSQL database with <c>pg_dump --format=custom --compress=0</c> (our zstd stage compresses), using a
/// pg_dump whose major version is at least the server's (<see cref="DatabaseTools"/>).
/// </summary>
public static partial class PostgreSqlSource
{
    /// <summary>The server's major version (e.g. 15), or a <see cref="RunFailedException"/> saying why it cannot be reached.</summary>
    public static async Task<int> ServerMajorAsync(DatabaseConnection database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            var connection = new NpgsqlConnection(ConnectionString(database));
            await using var connectionScope = connection.ConfigureAwait(false);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new NpgsqlCommand("SHOW server_version_num", connection);
            await using var commandScope = command.ConfigureAwait(false);
            return int.Parse((string)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!, CultureInfo.InvariantCulture) / 10000;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new RunFailedException($"PostgreSQL database {database.Name} on {database.Host}:{database.Port}: {Describe(ex)}", ex);
        }
    }

    /// <summary>Streams the dump into <paramref name="output"/>.</summary>
    public static async Task DumpAsync(DatabaseConnection database, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var pgDump = DatabaseTools.PgDump(await ServerMajorAsync(database, ct).ConfigureAwait(false));
        await DumpProcess.DumpAsync(pgDump,
            ["--format=custom", "--compress=0", "--no-password", "-h", database.Host, "-p", database.Port.ToString(CultureInfo.InvariantCulture),
             "-U", database.User, "-d", database.PostgresDbName],
            Environment(database, "BackupPanel"), output, database.StallTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A plain-SQL dump (what Plesk and some cPanel exports hold; imports keep it as it is) rather than a pg_dump
    /// archive (custom format starts with "PGDMP", tar format has "ustar" at 257): loaded with psql, not pg_restore.
    /// </summary>
    public static bool IsPlainSql(string dumpFile)
    {
        var head = new byte[262];
        using var file = File.OpenRead(dumpFile);
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return !(read >= 5 && head.AsSpan(0, 5).SequenceEqual("PGDMP"u8)) && !(read >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8));
    }

    /// <summary>Runs <c>pg_restore --list</c> on a dump file: proves it is a readable custom-format dump; returns its object count.</summary>
    public static async Task<int> ListAsync(string dumpFile, CancellationToken ct)
    {
        using var toc = new MemoryStream();
        await DumpProcess.RunAsync(DatabaseTools.PgRestore(null), ["--list", dumpFile], new Dictionary<string, string>(), toc, ct).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(toc.ToArray()).Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> (10 s timeout, no pooling: one check or one load).</summary>
    internal static string ConnectionString(DatabaseConnection database, string? name = null) => new NpgsqlConnectionStringBuilder
    {
        Host = database.Host, Port = database.Port, Database = name ?? database.Name, Username = database.User, Password = database.Password,
        Timeout = 10, Pooling = false,
    }.ConnectionString;

    /// <summary>The environment of a PostgreSQL tool: the password (never an argument), a connect timeout and our name.</summary>
    internal static Dictionary<string, string> Environment(DatabaseConnection database, string appName)
    {
        var environment = new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10", ["PGAPPNAME"] = appName };
        if (database.Password is not null)
        {
            environment["PGPASSWORD"] = database.Password;
        }

        return environment;
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => "the user name or password is wrong.",
        PostgresException { SqlState: "3D000" } => "the database does not exist.",
        PostgresException pg => pg.MessageText,
        _ when ex.InnerException is System.Net.Sockets.SocketException socket => $"cannot connect ({socket.Message}).",
        _ => Whitespace().Replace(ex.Message, " "),
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
