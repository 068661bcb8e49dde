using BackupPanel.Tests.Infrastructure;
using MySqlConnector;
using Npgsql;

namespace BackupPanel.Tests.Backups;

/// <summary>A small "shop" database with an orders table, on the suite's PostgreSQL or MariaDB, and a checksum of its rows.</summary>
public static class ShopDatabases
{
    public const string Password = "Shop-pass-1";

    /// <summary>
    /// A database with <paramref name="rows"/> orders and a password role. With <paramref name="owner"/> the role owns
    /// database and table and may create databases (what a restore needs); otherwise it may only read.
    /// </summary>
    public static async Task<(string Database, string Role)> CreatePostgresAsync(AppFixture app, int rows, bool owner = false)
    {
        var cs = new NpgsqlConnectionStringBuilder(await app.Postgres.CreateDatabaseAsync("shop"));
        var role = "shop_" + Guid.NewGuid().ToString("N")[..8];
        await ExecPostgresAsync(cs.ConnectionString,
            "CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric(10,2), note text); " +
            $"INSERT INTO orders SELECT i, 'customer ' || i, i * 1.25, repeat('ü', i % 50) FROM generate_series(1, {rows}) i;");
        await app.Postgres.CreatePasswordRoleAsync(role, Password, cs.Database!);
        await ExecPostgresAsync(cs.ConnectionString, owner
            ? $"ALTER ROLE \"{role}\" CREATEDB; ALTER DATABASE \"{cs.Database}\" OWNER TO \"{role}\"; ALTER TABLE orders OWNER TO \"{role}\"; ALTER SCHEMA public OWNER TO \"{role}\";"
            : $"GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{role}\"");
        return (cs.Database!, role);
    }

    public static async Task ExecPostgresAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task ExecPostgresAsync(AppFixture app, string database, string sql) =>
        await ExecPostgresAsync(new NpgsqlConnectionStringBuilder(app.Postgres.Server.ConnectionString) { Database = database }.ConnectionString, sql);

    /// <summary>Row count and an md5 over every row, as text; equal only when the rows are.</summary>
    public static async Task<string> PostgresChecksumAsync(AppFixture app, string database)
    {
        var cs = new NpgsqlConnectionStringBuilder(app.Postgres.Server.ConnectionString) { Database = database };
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) || ':' || md5(string_agg(id || customer || total || note, ',' ORDER BY id)) FROM orders", conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A MariaDB database with orders, a trigger and a procedure, and a user that may create databases.</summary>
    public static async Task<(string Database, string User)> CreateMariaDbAsync(MariaDbFixture maria, int rows)
    {
        var database = "shop_" + Guid.NewGuid().ToString("N")[..8];
        var user = "u" + Guid.NewGuid().ToString("N")[..8];
        await maria.ExecAsync($"CREATE DATABASE `{database}`; CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{Password}'; GRANT ALL ON *.* TO '{user}'@'127.0.0.1';");
        await maria.ExecAsync($"USE `{database}`; CREATE TABLE orders (id int PRIMARY KEY, customer varchar(100), total decimal(10,2), note text) CHARSET utf8mb4; " +
            $"INSERT INTO orders SELECT seq, CONCAT('customer ', seq), seq * 1.25, REPEAT('ü', seq % 50) FROM seq_1_to_{rows}; " +
            "CREATE TABLE audit (n int); CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit VALUES (NEW.id); " +
            "CREATE PROCEDURE order_count() SELECT count(*) FROM orders;");
        return (database, user);
    }

    public static async Task<string> MariaDbChecksumAsync(MariaDbFixture maria, string user, string database)
    {
        var cs = new MySqlConnectionStringBuilder { Server = "127.0.0.1", Port = (uint)maria.Port, UserID = user, Password = Password, Database = database, Pooling = false };
        await using var conn = new MySqlConnection(cs.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new MySqlCommand(
            "SELECT CONCAT(count(*), ':', md5(group_concat(CONCAT(id, customer, total, note) ORDER BY id SEPARATOR ',')), ':', " +
            "(SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()), ':', " +
            "(SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE())) FROM orders", conn);
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
