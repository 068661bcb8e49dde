using System.Text.RegularExpressions;
using BackupPanel.Core.Domains;
using Npgsql;

namespace BackupPanel.Core.Backups.Sources;

/// <summary>
/// Dumps a PostgreSQL database with <c>pg_dump --format=custom --compress=0</c> (our zstd stage compresses), using a
/// pg_dump whose major version is at least the server's: an older pg_dump refuses newer servers.
/// </summary>
public static partial class PostgreSqlSource
{
    /// <summary>Where Debian and Ubuntu install each PostgreSQL major version's tools.</summary>
    public const string ToolRoot = "/usr/lib/postgresql";

    /// <summary>The server's major version (e.g. 15), or a <see cref="BackupSourceException"/> saying why it cannot be reached.</summary>
    public static async Task<int> ServerMajorAsync(DomainDatabase database, string? password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = database.Host, Port = database.Port, Database = database.Name, Username = database.User, Password = password,
            Timeout = 10, Pooling = false,
        };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SHOW server_version_num", connection);
            return int.Parse((string)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!, System.Globalization.CultureInfo.InvariantCulture) / 10000;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new BackupSourceException($"PostgreSQL database {database.Name} on {database.Host}:{database.Port}: {Describe(ex)}", ex);
        }
    }

    /// <summary>The oldest installed pg_dump that can dump a server of <paramref name="serverMajor"/>, or a clear error.</summary>
    public static string FindPgDump(int serverMajor)
    {
        var installed = InstalledMajors();
        var usable = installed.Where(m => m >= serverMajor).Order().ToArray();
        if (usable.Length > 0)
        {
            return Path.Combine(ToolRoot, usable[0].ToString(System.Globalization.CultureInfo.InvariantCulture), "bin", "pg_dump");
        }

        var newest = installed.Count > 0 ? $"the newest pg_dump here is {installed.Max()}" : "no pg_dump is installed";
        throw new BackupSourceException($"The server runs PostgreSQL {serverMajor}, but {newest}: install postgresql-client-{serverMajor}.");
    }

    /// <summary>Streams the dump into <paramref name="output"/>.</summary>
    public static async Task DumpAsync(DomainDatabase database, string? password, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var pgDump = FindPgDump(await ServerMajorAsync(database, password, ct).ConfigureAwait(false));
        var environment = new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10", ["PGAPPNAME"] = "BackupPanel" };
        if (password is not null)
        {
            environment["PGPASSWORD"] = password;
        }

        await DumpProcess.RunAsync(pgDump,
            ["--format=custom", "--compress=0", "--no-password", "-h", database.Host, "-p", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-U", database.User, "-d", database.Name],
            environment, output, ct).ConfigureAwait(false);
    }

    /// <summary>pg_restore for a server of <paramref name="serverMajor"/> (null: the newest installed, which reads every older dump).</summary>
    public static string FindPgRestore(int? serverMajor)
    {
        if (serverMajor is { } major)
        {
            return Path.Combine(Path.GetDirectoryName(FindPgDump(major))!, "pg_restore");
        }

        var installed = InstalledMajors();
        return installed.Count > 0
            ? Path.Combine(ToolRoot, installed.Max().ToString(System.Globalization.CultureInfo.InvariantCulture), "bin", "pg_restore")
            : throw new BackupSourceException("pg_restore is not installed: install postgresql-client.");
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
        await DumpProcess.RunAsync(FindPgRestore(null), ["--list", dumpFile], new Dictionary<string, string>(), toc, ct).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(toc.ToArray()).Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
    }

    internal static List<int> InstalledMajors() => Directory.Exists(ToolRoot)
        ? Directory.EnumerateDirectories(ToolRoot)
            .Where(d => File.Exists(Path.Combine(d, "bin", "pg_dump")))
            .Select(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0).Where(m => m > 0).ToList()
        : [];

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
