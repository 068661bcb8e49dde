using BackupPanel.Hosting;
using BackupPanel.Tests.Infrastructure;
using Npgsql;

namespace BackupPanel.Tests.Hosting;

public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task StartAsync_EmptyDirectory_InitialisesAndAcceptsConnections()
    {
        var dir = TestPaths.NewTempDir("emb");
        var pg = await EmbeddedPostgres.StartAsync(dir, throwaway: true);
        try
        {
            Assert.True(File.Exists(Path.Combine(pg.DataDirectory, "PG_VERSION")));
            Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
            Assert.Equal("127.0.0.1", await ScalarAsync<string>(pg.ConnectionString, "SELECT current_setting('listen_addresses')"));
        }
        finally
        {
            await pg.StopAsync();
        }
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task StartAsync_ExistingStoppedCluster_RestartsWithItsData()
    {
        var dir = TestPaths.NewTempDir("emb");
        try
        {
            var first = await EmbeddedPostgres.StartAsync(dir);
            await ScalarAsync(first.ConnectionString, "CREATE TABLE kept(x int); INSERT INTO kept VALUES (42); SELECT 1");
            await first.StopAsync();
            Assert.False(File.Exists(Path.Combine(first.DataDirectory, "postmaster.pid")));

            var second = await EmbeddedPostgres.StartAsync(dir);
            try
            {
                Assert.Equal(42, await ScalarAsync(second.ConnectionString, "SELECT x FROM kept"));
            }
            finally
            {
                await second.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task StartAsync_ServerLeftRunningByCrash_ReusesIt()
    {
        var dir = TestPaths.NewTempDir("emb");
        // The "crashed" owner never calls StopAsync: its postmaster keeps running, as after a kill -9 of the panel.
        var crashed = await EmbeddedPostgres.StartAsync(dir, throwaway: true);
        var reused = await EmbeddedPostgres.StartAsync(dir, throwaway: true);
        try
        {
            Assert.Equal(crashed.Port, reused.Port);
            Assert.Equal(1, await ScalarAsync(reused.ConnectionString, "SELECT 1"));
        }
        finally
        {
            await reused.StopAsync();
        }
    }

    [Fact]
    public async Task StartAsync_AsRoot_RunsServerAsPostgresUser()
    {
        var pg = await EmbeddedPostgres.StartAsync(TestPaths.NewTempDir("emb"), throwaway: true);
        try
        {
            // As root the tools run via runuser as postgres; otherwise as the current user. Either way the server
            // process must not be root (PostgreSQL refuses that).
            var owner = await ScalarAsync<string>(pg.ConnectionString, "SELECT current_setting('data_directory')");
            Assert.Equal(pg.DataDirectory, owner);
            var pidLine = (await File.ReadAllLinesAsync(Path.Combine(pg.DataDirectory, "postmaster.pid")))[0];
            var serverUid = await UidOfAsync(pidLine.Trim());
            if (Environment.UserName == "root") Assert.NotEqual("0", serverUid);
            else Assert.Equal(await UidOfAsync("self"), serverUid);
        }
        finally
        {
            await pg.StopAsync();
        }
    }

    [Fact]
    public async Task StartAsync_NoPostgresBinaries_FailsWithInstallHint()
    {
        var ex = await Assert.ThrowsAsync<StartupException>(() =>
            EmbeddedPostgres.StartAsync(TestPaths.NewTempDir("emb"), searchRoot: "/nonexistent/postgresql"));
        Assert.Contains("apt-get install postgresql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:BackupPanel", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string> UidOfAsync(string pid) =>
        (await File.ReadAllLinesAsync($"/proc/{pid}/status"))
            .First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    private static Task<int> ScalarAsync(string cs, string sql) => ScalarAsync<int>(cs, sql);

    private static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
