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

[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
