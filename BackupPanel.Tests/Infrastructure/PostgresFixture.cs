using BackupPanel.Hosting;
using Npgsql;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// The suite's own PostgreSQL: a throwaway cluster (durability off) started from the machine's binaries with the same
/// class the panel embeds, on a free loopback port. Each test that needs isolation gets a fresh database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private EmbeddedPostgres? _server;

    public EmbeddedPostgres Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await EmbeddedPostgres.StartAsync(TestPaths.NewTempDir("pg"), throwaway: true);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.StopAsync();
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..30];
        await using var conn = new NpgsqlConnection(Server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = name }.ConnectionString;
    }
}

public static class PostgresFixtureExtensions
{
    /// <summary>
    /// A login role that must give its password over TCP (the suite's cluster trusts everyone else): a pg_hba line
    /// for it goes first, then the configuration is reloaded and the rule is waited for.
    /// </summary>
    public static async Task CreatePasswordRoleAsync(this PostgresFixture pg, string role, string password, string database)
    {
        await using (var conn = new NpgsqlConnection(pg.Server.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'; GRANT ALL ON DATABASE \"{database}\" TO \"{role}\";", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var hba = Path.Combine(pg.Server.DataDirectory, "pg_hba.conf");
        await File.WriteAllTextAsync(hba, $"host all {role} 127.0.0.1/32 scram-sha-256\n" + await File.ReadAllTextAsync(hba));
        await using (var conn = new NpgsqlConnection(pg.Server.ConnectionString))
        {
            await conn.OpenAsync();
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", conn);
            await reload.ExecuteScalarAsync();
        }

        var wrong = new NpgsqlConnectionStringBuilder(pg.Server.ConnectionString) { Username = role, Password = "wrong", Database = database, Pooling = false };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            timeout.Token.ThrowIfCancellationRequested();
            try
            {
                await using var conn = new NpgsqlConnection(wrong.ConnectionString);
                await conn.OpenAsync(timeout.Token);
            }
            catch (PostgresException ex) when (ex.SqlState == "28P01")
            {
                return; // the password rule is live
            }

            await Task.Yield();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
