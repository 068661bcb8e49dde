using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BackupPanel.Tests.Security;

/// <summary>
/// The audit log is a hash chain: whoever gets past the database's refusals (the owner role, a superuser) and changes,
/// removes or rewrites an entry leaves a break that Administration → Audit log reports at the first entry affected.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class AuditChainTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Entries_WrittenAtOnceFromManyTasks_FormOneIntactChain()
    {
        var (sp, _) = await StartAsync();
        await using var _sp = sp;
        var audit = ActivatorUtilities.CreateInstance<AuditService>(sp, TimeProvider.System);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => audit.WriteAsync(AuditActor.System, "test.chain", AuditOutcome.Success, details: $"entry {i}")));

        var status = await audit.VerifyChainAsync();
        Assert.True(status.Intact, $"broken at {status.FirstBroken?.Id}");
        Assert.Equal(40, status.Entries);
        Assert.Matches("^[0-9a-f]{64}$", status.Head);
    }

    [Theory]
    [InlineData("UPDATE audit_entries SET \"Details\" = 'nothing happened' WHERE \"Id\" = {3}", 3)]
    [InlineData("UPDATE audit_entries SET \"UserName\" = 'someone else' WHERE \"Id\" = {3}", 3)]
    [InlineData("DELETE FROM audit_entries WHERE \"Id\" = {3}", 4)]
    [InlineData("DELETE FROM audit_entries WHERE \"Id\" = {1}", 2)]
    // Rewritten with its own hash recomputed the way the database does: the next entry no longer links to it.
    [InlineData("UPDATE audit_entries SET \"Details\" = 'x' WHERE \"Id\" = {3}; UPDATE audit_entries e SET \"Hash\" = audit_entry_hash(e) WHERE \"Id\" = {3}", 4)]
    public async Task AnEntryAlteredDirectlyAsTheOwner_IsReportedAsTheBreak(string tamper, int brokenOrdinal)
    {
        var (sp, cs) = await StartAsync();
        await using var _sp = sp;
        var audit = ActivatorUtilities.CreateInstance<AuditService>(sp, TimeProvider.System);
        for (var i = 1; i <= 5; i++) await audit.WriteAsync(AuditActor.System, "test.chain", AuditOutcome.Success, details: $"entry {i}");
        Assert.True((await audit.VerifyChainAsync()).Intact);
        var ids = await IdsAsync(cs);

        var sql = "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update; "
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, tamper.Replace("{1}", "{0}", StringComparison.Ordinal).Replace("{3}", "{1}", StringComparison.Ordinal), ids[0], ids[2])
            + "; ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update;";
        await ExecAsync(cs, sql);

        var status = await audit.VerifyChainAsync();
        Assert.False(status.Intact);
        Assert.Equal(ids[brokenOrdinal - 1], status.FirstBroken!.Id);
    }

    [Fact]
    public async Task EntriesWrittenBeforeTheChainExisted_AreChainedByTheUpgrade()
    {
        var cs = await postgres.CreateDatabaseAsync("chainup");
        var options = new DbContextOptionsBuilder<BackupPanelDbContext>().UseNpgsql(cs).Options;
        await using (var db = new BackupPanelDbContext(options))
        {
            var all = db.Database.GetMigrations().ToList();
            var before = all[all.FindIndex(m => m.EndsWith("_ChainAuditLog", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before);
        }
        for (var i = 0; i < 3; i++)
        {
            await ExecAsync(cs, $"INSERT INTO audit_entries (\"At\", \"UserName\", \"Action\", \"Outcome\") VALUES (now(), 'old', 'test.before', {i % 2})");
        }

        var (sp, _) = await StartAsync(cs);
        await using var _sp = sp;
        var audit = ActivatorUtilities.CreateInstance<AuditService>(sp, TimeProvider.System);
        await audit.WriteAsync(AuditActor.System, "test.after", AuditOutcome.Success);

        var status = await audit.VerifyChainAsync();
        Assert.True(status.Intact, $"broken at {status.FirstBroken?.Id}");
        Assert.Equal(4, status.Entries);
    }

    private async Task<(ServiceProvider Services, string ConnectionString)> StartAsync(string? cs = null)
    {
        cs ??= await postgres.CreateDatabaseAsync("chain");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBackupPanelData(cs);
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<BackupPanelDbContext>();
        var sp = services.BuildServiceProvider();
        await using (var scope = sp.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return (sp, cs);
    }

    private static async Task<List<long>> IdsAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT \"Id\" FROM audit_entries ORDER BY \"Id\"", conn);
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
