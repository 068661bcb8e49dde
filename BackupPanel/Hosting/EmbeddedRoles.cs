using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace BackupPanel.Hosting;

/// <summary>
/// The embedded cluster's three roles and their passwords: <c>postgres</c> (superuser, used only here at start-up),
/// <see cref="Owner"/> (owns the database and its tables, applies migrations) and <see cref="App"/> (what the panel
/// runs as: owns nothing, reads and writes rows, appends to the audit log). The passwords are random and kept in
/// <c>&lt;data&gt;/database.secrets</c>, 0600, readable by the panel's user alone.
/// </summary>
internal static class EmbeddedRoles
{
    public const string Owner = "backuppanel_owner";
    public const string App = "backuppanel";
    public const string Database = "backuppanel";

    public sealed record Secrets(string Superuser, string Owner, string App);

    public static string SecretsFile(string dataDirectory) => Path.Combine(dataDirectory, "database.secrets");

    /// <summary>Reads the passwords, or makes and saves new ones the first time.</summary>
    public static Secrets LoadOrCreate(string dataDirectory, bool clusterExists)
    {
        var file = SecretsFile(dataDirectory);
        if (File.Exists(file))
        {
            return JsonSerializer.Deserialize<Secrets>(File.ReadAllText(file))
                ?? throw new StartupException($"{file} is empty or damaged.");
        }

        var pgDir = Path.Combine(dataDirectory, "pg", "data");
        if (clusterExists && File.Exists(Path.Combine(pgDir, "pg_hba.conf"))
            && File.ReadLines(Path.Combine(pgDir, "pg_hba.conf")).FirstOrDefault() == EmbeddedPostgres.HbaHeader)
        {
            throw new StartupException($"{file} is missing, and the embedded database takes passwords only. Restore the file from the " +
                "backup of the data folder (docs/OPERATIONS.md), or reset the passwords as docs/CONFIGURATION.md explains.");
        }

        var secrets = new Secrets(NewPassword(), NewPassword(), NewPassword());
        using (var stream = new FileStream(file, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        {
            JsonSerializer.Serialize(stream, secrets);
        }
        return secrets;
    }

    /// <summary>
    /// Creates or updates the two roles and the database, and gives the owner role everything the superuser still
    /// owns there (a cluster made by an older version). Returns how many objects changed hands.
    /// </summary>
    public static async Task<int> EnsureAsync(EmbeddedPostgres cluster, Secrets secrets, CancellationToken ct)
    {
        await using (var conn = new NpgsqlConnection(cluster.ConnectionString))
        {
            await conn.OpenAsync(ct);
            await ExecAsync(conn, $"""
                SET password_encryption = 'scram-sha-256';
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{Owner}') THEN CREATE ROLE {Owner} LOGIN; END IF;
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{App}') THEN CREATE ROLE {App} LOGIN; END IF;
                END $$;
                ALTER ROLE {Owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {EmbeddedPostgres.Quote(secrets.Owner)};
                ALTER ROLE {App} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD {EmbeddedPostgres.Quote(secrets.App)};
                """, ct);
            await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", conn);
            if (await exists.ExecuteScalarAsync(ct) is null) await ExecAsync(conn, $"CREATE DATABASE {Database} OWNER {Owner}", ct);
            await ExecAsync(conn, $"""
                ALTER DATABASE {Database} OWNER TO {Owner};
                REVOKE ALL ON DATABASE {Database} FROM PUBLIC;
                GRANT CONNECT, TEMPORARY ON DATABASE {Database} TO {App};
                """, ct);
        }

        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = Database }.ConnectionString);
        await db.OpenAsync(ct);
        await using var move = new NpgsqlCommand($"""
            DO $$
            DECLARE r record; moved int := 0;
            BEGIN
              FOR r IN SELECT nspname FROM pg_namespace WHERE nspname = 'hangfire' AND nspowner <> '{Owner}'::regrole LOOP
                EXECUTE format('ALTER SCHEMA %I OWNER TO {Owner}', r.nspname); moved := moved + 1;
              END LOOP;
              FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname IN ('public', 'hangfire') AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> '{Owner}'::regrole LOOP
                EXECUTE format('ALTER %s %s OWNER TO {Owner}', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
                moved := moved + 1;
              END LOOP;
              -- Sequences that belong to a column moved with their table; the others move here.
              FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname IN ('public', 'hangfire') AND c.relkind = 'S' AND c.relowner <> '{Owner}'::regrole LOOP
                EXECUTE format('ALTER SEQUENCE %s OWNER TO {Owner}', r.name); moved := moved + 1;
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE n.nspname IN ('public', 'hangfire') AND p.proowner <> '{Owner}'::regrole LOOP
                EXECUTE format('ALTER ROUTINE %s OWNER TO {Owner}', r.name); moved := moved + 1;
              END LOOP;
              PERFORM set_config('backuppanel.moved', moved::text, false);
            END $$;
            SELECT current_setting('backuppanel.moved')::int;
            """, db);
        return (int)(await move.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string NewPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
