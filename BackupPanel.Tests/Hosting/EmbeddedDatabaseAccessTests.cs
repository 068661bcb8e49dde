using System.Diagnostics;
using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BackupPanel.Tests.Hosting;

/// <summary>
/// The panel's own embedded cluster as a local user of the server sees it (a PHP shell running as a tenant): no way
/// in by TCP or by the socket, with or without a password guess; and the panel's own role, even when it is taken over,
/// cannot drop the audit log's triggers, rewrite it, alter tables or run programs.
/// </summary>
public sealed class EmbeddedDatabaseAccessTests
{
    [Fact]
    public async Task LocalUser_CannotConnect_ByTcpOrSocket_WithOrWithoutAPasswordGuess()
    {
        Assert.Equal("root", Environment.UserName); // the attacker is another local user: needs runuser
        var (_, embedded) = await StartPanelDatabaseAsync(TestPaths.NewTempDir("embacc"));
        try
        {
            foreach (var host in new[] { "127.0.0.1", "localhost", embedded.SocketDirectory })
            {
                foreach (var guess in new[] { "", "postgres", "backuppanel" })
                {
                    foreach (var user in new[] { "postgres", EmbeddedRoles.Owner, EmbeddedRoles.App })
                    {
                        var (code, output) = await PsqlAsNobodyAsync(host, embedded.Port, user, guess);
                        Assert.True(code != 0, $"nobody connected as {user} via {host} (password '{guess}'): {output}");
                    }
                }
            }

            Assert.Equal("", await ScalarAsync<string>(embedded.ConnectionString, "SELECT current_setting('listen_addresses')"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(embedded.SocketDirectory));
            var hba = (await File.ReadAllLinesAsync(Path.Combine(embedded.DataDirectory, "pg_hba.conf")))
                .Where(l => l.Trim() is { Length: > 0 } t && !t.StartsWith('#')).ToList();
            Assert.NotEmpty(hba);
            Assert.All(hba, l => Assert.EndsWith("scram-sha-256", l.Trim(), StringComparison.Ordinal));
            var secrets = EmbeddedRoles.SecretsFile(Path.GetDirectoryName(embedded.Directory)!);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
        }
        finally
        {
            await embedded.StopAsync();
        }
    }

    [Fact]
    public async Task OlderVersionsCluster_StillRunningWithTrustAndTcp_IsClosedInPlace_ItsDataKept()
    {
        Assert.Equal("root", Environment.UserName);
        var dataDir = TestPaths.NewTempDir("embold");
        // What an older version made and left running: trust authentication, a loopback TCP port, everything owned by postgres.
        var old = await EmbeddedPostgres.StartAsync(Path.Combine(dataDir, "pg"));
        await ScalarAsync<int>(old.ConnectionString, "CREATE DATABASE backuppanel; SELECT 1");
        var oldDb = new NpgsqlConnectionStringBuilder(old.ConnectionString) { Database = "backuppanel" }.ConnectionString;
        await ScalarAsync<int>(oldDb, "CREATE TABLE kept(x int); INSERT INTO kept VALUES (42); SELECT 1");
        Assert.Equal(0, (await PsqlAsNobodyAsync("127.0.0.1", old.Port, "postgres", "")).Code); // the hole, as it was

        var config = new ConfigurationBuilder().Build();
        var (connections, started) = await DatabaseHosting.ResolveAsync(config, new BackupPanelOptions { DataDirectory = dataDir }, CancellationToken.None);
        var embedded = started!;
        try
        {
            Assert.True(embedded.Upgraded);
            Assert.NotEqual(0, (await PsqlAsNobodyAsync("127.0.0.1", old.Port, "postgres", "")).Code);
            Assert.NotEqual(0, (await PsqlAsNobodyAsync(embedded.SocketDirectory, embedded.Port, "postgres", "")).Code);
            Assert.Equal(42, await ScalarAsync<int>(connections.Owner, "SELECT x FROM kept"));
            Assert.Equal(EmbeddedRoles.Owner, await ScalarAsync<string>(connections.Owner, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'kept'"));
            Assert.Equal(EmbeddedRoles.Owner, await ScalarAsync<string>(connections.Owner, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = 'backuppanel'"));
        }
        finally
        {
            await embedded.StopAsync();
        }
    }

    [Theory]
    [InlineData("DROP TRIGGER audit_entries_no_update ON audit_entries")]
    [InlineData("UPDATE audit_entries SET \"Details\" = 'rewritten'")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries")]
    [InlineData("ALTER TABLE audit_entries DISABLE TRIGGER ALL")]
    [InlineData("DROP TRIGGER audit_entries_chain ON audit_entries")]
    [InlineData("CREATE OR REPLACE FUNCTION audit_entry_hash(e audit_entries) RETURNS text LANGUAGE sql AS 'SELECT 1::text'")]
    [InlineData("ALTER TABLE \"AspNetUsers\" ADD COLUMN x int")]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'id'")]
    [InlineData("CREATE TABLE evil(x int)")]
    [InlineData("ALTER ROLE backuppanel SUPERUSER")]
    [InlineData("INSERT INTO hangfire.job (stateid, statename, invocationdata, arguments, createdat) SELECT 1, 'x', '{}', '[]', now() FROM pg_roles WHERE false; CREATE FUNCTION hangfire.evil() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    public async Task PanelRole_IsRefused_WhatWouldRewriteTheAuditLogOrRunPrograms(string sql)
    {
        var dataDir = TestPaths.NewTempDir("embrole");
        var config = new ConfigurationBuilder().Build();
        var (connections, started) = await DatabaseHosting.ResolveAsync(config, new BackupPanelOptions { DataDirectory = dataDir }, CancellationToken.None);
        var embedded = started!;
        var appConnection = connections.App;
        try
        {
            await MigrateAsync(connections);
            await ScalarAsync<int>(appConnection, "INSERT INTO audit_entries (\"At\", \"Action\", \"Outcome\", \"UserName\") VALUES (now(), 'test', 0, 'x'); SELECT 1");

            var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<object?>(appConnection, sql));
            Assert.True(refused.SqlState is "42501" or "42P01", $"{refused.SqlState}: {refused.MessageText}"); // insufficient privilege (must be owner / permission denied)
            Assert.Equal(1L, await ScalarAsync<long>(appConnection, "SELECT count(*) FROM audit_entries"));
            Assert.Equal(3L, await ScalarAsync<long>(new NpgsqlConnectionStringBuilder(embedded.ConnectionString) { Database = "backuppanel" }.ConnectionString,
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal AND tgenabled = 'O' AND tgname LIKE 'audit_entries_%'"));
        }
        finally
        {
            await embedded.StopAsync();
        }
    }

    private static async Task<(string AppConnection, EmbeddedPostgres Embedded)> StartPanelDatabaseAsync(string dataDir)
    {
        var config = new ConfigurationBuilder().Build();
        var (cs, embedded) = await DatabaseHosting.ResolveAsync(config, new BackupPanelOptions { DataDirectory = dataDir }, CancellationToken.None);
        return (cs.App, embedded!);
    }

    private static async Task MigrateAsync(DatabaseConnections cs)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBackupPanelData(cs);
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<BackupPanelDbContext>();
        await using var sp = services.BuildServiceProvider();
        await using var scope = sp.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }

    internal static async Task<(int Code, string Output)> PsqlAsNobodyAsync(string host, int port, string user, string password)
    {
        var psql = Path.Combine(EmbeddedPostgres.FindBinDir()!, "psql");
        var psi = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var a in new[] { "-u", "nobody", "--", psql, "-w", "-h", host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", user, "-d", "backuppanel", "-c", "SELECT 1" })
            psi.ArgumentList.Add(a);
        psi.Environment["PGPASSWORD"] = password;
        psi.Environment["PGCONNECT_TIMEOUT"] = "5";
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output.Trim());
    }

    internal static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
