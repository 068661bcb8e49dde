using BackupPanel.Core.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BackupPanel.Tests.Backups;

/// <summary>History at 100,000 backups: server-side pages, right totals, and plans that use the indexes (no table scans).</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class HistoryQueryTests(AppFixture app)
{
    [Fact]
    public async Task QueryAsync_100000Backups_PagesOnTheServerWithIndexes()
    {
        using var bed = new BackupTestBed(app);
        var domainId = (await bed.AddDomainAsync(new Core.Domains.DomainInput { FilesRoot = bed.Dir })).Id;
        await using (var conn = new NpgsqlConnection(app.ConnectionString))
        {
            await conn.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO backups (\"Id\", \"DomainName\", \"Type\", \"Status\", \"CreatedAt\", \"RequestedBy\", \"Encrypted\", \"StoredBytes\", \"PlainBytes\", \"WarningCount\", \"Log\", \"ProgressBytes\", \"CancelRequested\") " +
                "SELECT gen_random_uuid(), 'history.example.com', CASE WHEN i % 4 = 0 THEN 'Files' ELSE 'Full' END, CASE WHEN i % 10 = 0 THEN 'Failed' ELSE 'Succeeded' END, " +
                "now() - make_interval(mins => i), 'schedule', true, 1000, 2000, 0, '', 0, false FROM generate_series(1, 100000) i; " +
                "UPDATE backups SET \"DomainId\" = @d WHERE \"DomainName\" = 'history.example.com'; ANALYZE backups;", conn);
            insert.Parameters.AddWithValue("d", domainId);
            insert.CommandTimeout = 120;
            await insert.ExecuteNonQueryAsync();
        }

        var service = app.Services.GetRequiredService<BackupService>();
        var first = await service.QueryAsync(new BackupQuery(DomainId: domainId, Take: 25), default);
        var last = await service.QueryAsync(new BackupQuery(DomainId: domainId, Skip: 99_990, Take: 25), default);
        var failed = await service.QueryAsync(new BackupQuery(DomainId: domainId, Status: BackupStatus.Failed, Take: 50), default);
        var huge = await service.QueryAsync(new BackupQuery(DomainId: domainId, Take: 1_000_000), default);

        Assert.Equal(100_000, first.Total);
        Assert.Equal(25, first.Items.Count);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt));
        Assert.Equal(10, last.Items.Count);
        Assert.Equal(10_000, failed.Total);
        Assert.All(failed.Items, b => Assert.Equal(BackupStatus.Failed, b.Status));
        Assert.Equal(200, huge.Items.Count); // a page is capped, whatever is asked for

        foreach (var where in new[] { "\"DomainId\" = @d", "\"Status\" = 'Failed'", "true" })
        {
            var plan = await ExplainAsync($"SELECT \"Id\" FROM backups WHERE {where} ORDER BY \"CreatedAt\" DESC, \"Id\" DESC LIMIT 25", domainId);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        }
    }

    private async Task<string> ExplainAsync(string sql, Guid domainId)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("EXPLAIN " + sql, conn);
        cmd.Parameters.AddWithValue("d", domainId);
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
