using System.Globalization;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Finds the database tools installed here, matched to a server's version: an older pg_dump refuses a newer server,
/// so PostgreSQL tools come from the oldest installed major version that is at least the server's.
/// </summary>
public static class DatabaseTools
{
    /// <summary>Where Debian and Ubuntu install each PostgreSQL major version's tools.</summary>
    public const string PostgreSqlRoot = "/usr/lib/postgresql";

    private static readonly string[] MySqlDumps = ["/usr/bin/mariadb-dump", "/usr/bin/mysqldump", "/usr/local/bin/mariadb-dump", "/usr/local/bin/mysqldump"];
    private static readonly string[] MySqlClients = ["/usr/bin/mariadb", "/usr/bin/mysql", "/usr/local/bin/mariadb", "/usr/local/bin/mysql"];

    /// <summary>The oldest installed pg_dump that can dump a server of <paramref name="serverMajor"/>, or a clear error.</summary>
    public static string PgDump(int serverMajor)
    {
        var installed = InstalledPostgreSqlMajors();
        var usable = installed.Where(m => m >= serverMajor).Order().ToArray();
        if (usable.Length > 0)
        {
            return Path.Combine(PostgreSqlRoot, usable[0].ToString(CultureInfo.InvariantCulture), "bin", "pg_dump");
        }

        var newest = installed.Count > 0 ? $"the newest pg_dump here is {installed.Max()}" : "no pg_dump is installed";
        throw new RunFailedException($"The server runs PostgreSQL {serverMajor}, but {newest}: install postgresql-client-{serverMajor}.");
    }

    /// <summary>pg_restore for a server of <paramref name="serverMajor"/> (null: the newest installed, which reads every older dump).</summary>
    public static string PgRestore(int? serverMajor)
    {
        if (serverMajor is { } major)
        {
            return Path.Combine(Path.GetDirectoryName(PgDump(major))!, "pg_restore");
        }

        var installed = InstalledPostgreSqlMajors();
        return installed.Count > 0
            ? Path.Combine(PostgreSqlRoot, installed.Max().ToString(CultureInfo.InvariantCulture), "bin", "pg_restore")
            : throw new RunFailedException("pg_restore is not installed: install postgresql-client.");
    }

    /// <summary>psql for a server of <paramref name="serverMajor"/> (beside its pg_restore).</summary>
    public static string Psql(int serverMajor) => Path.Combine(Path.GetDirectoryName(PgRestore(serverMajor))!, "psql");

    /// <summary>mariadb-dump or mysqldump, or a clear error when neither is installed.</summary>
    public static string MySqlDump() => MySqlDumps.FirstOrDefault(File.Exists)
        ?? throw new RunFailedException("Neither mariadb-dump nor mysqldump is installed: install mariadb-client (or mysql-client).");

    /// <summary>The installed mariadb or mysql client, or null.</summary>
    public static string? MySqlClient() => MySqlClients.FirstOrDefault(File.Exists);

    /// <summary>The PostgreSQL major versions whose pg_dump is installed.</summary>
    public static List<int> InstalledPostgreSqlMajors() => Directory.Exists(PostgreSqlRoot)
        ? Directory.EnumerateDirectories(PostgreSqlRoot)
            .Where(d => File.Exists(Path.Combine(d, "bin", "pg_dump")))
            .Select(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0).Where(m => m > 0).ToList()
        : [];
}
