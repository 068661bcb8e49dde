using BackupPanel.Core.Data;
using BackupPanel.Core.Restore.Bulk;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Restore;

/// <summary>Choosing what a bulk restore takes, dry runs, cancelling, idempotency and hostile form input.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class BulkRestoreControlTests(AppFixture app) : IDisposable
{
    private readonly BulkBed _b = new(app);

    public void Dispose() => _b.Dispose();

    [Fact]
    public async Task LatestOfDomains_AsOfADate_PicksTheBackupOfThatTimeAndSkipsADomainWithoutOne()
    {
        var (domain, older) = await _b.DomainWithBackupAsync("asof");
        await File.WriteAllTextAsync(Path.Combine(domain.FilesRoot!, "index.html"), "newer");
        var newer = await _b.Bed.BackUpAndWaitAsync(domain.Id);
        var never = await _b.Bed.AddDomainAsync(new BackupPanel.Core.Domains.DomainInput { FilesRoot = Path.Combine(_b.Bed.Dir, "never") });
        var root = Path.Combine(_b.Bed.Dir, "restored");

        var report = await _b.CheckAsync(new BulkRestoreRequest { DomainIds = [domain.Id, never.Id], AsOf = older.CreatedAt, AlternateRoot = root, DryRun = true });

        Assert.Equal(older.Id, BulkBed.ItemOf(report, domain).Item.BackupId);
        Assert.NotEqual(newer.Id, BulkBed.ItemOf(report, domain).Item.BackupId);
        var skipped = BulkBed.ItemOf(report, never).Item;
        Assert.Equal(RestoreItemStatus.Skipped, skipped.Status);
        Assert.StartsWith("No successful backup on or before", skipped.Error, StringComparison.Ordinal);

        var done = await _b.ConfirmAndWaitAsync(report.Batch.Id);
        var item = BulkBed.ItemOf(done, domain);
        Assert.Equal(RestoreItemStatus.Succeeded, item.Item.Status);
        Assert.True(item.Run!.DryRun);
        Assert.Contains("would create index.html", item.Run.Log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root)); // a dry run writes nothing

        // Idempotent per item: running its job again neither restores again nor changes the outcome.
        await app.Services.GetRequiredService<BulkRestoreRunner>().RunItemAsync(item.Item.Id, default);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.RestoreRuns.CountAsync(r => r.BatchItemId == item.Item.Id));
        Assert.Equal(RestoreItemStatus.Succeeded, (await _b.Bulk.GetAsync(report.Batch.Id, default))!.Items.Single(i => i.Item.Id == item.Item.Id).Item.Status);
    }

    [Fact]
    public async Task Cancel_ItemsNotStarted_AreCancelledAndRerunRestoresThem()
    {
        var domains = new[] { await _b.DomainWithBackupAsync("c1"), await _b.DomainWithBackupAsync("c2"), await _b.DomainWithBackupAsync("c3") };
        var root = Path.Combine(_b.Bed.Dir, "restored");
        var report = await _b.CheckAsync(new BulkRestoreRequest { BackupIds = [.. domains.Select(d => d.Backup.Id)], AlternateRoot = root, Concurrency = 1 });

        using (await BlockingTestJob.HoldWorkerAsync(app.Services.GetRequiredService<IBackgroundJobClient>()))
        {
            Assert.True((await _b.Bulk.ConfirmAsync(report.Batch.Id, BackupTestBed.Operator, default)).Succeeded);
            Assert.True((await _b.Bulk.CancelAsync(report.Batch.Id, BackupTestBed.Operator, default)).Succeeded);
        }

        var cancelled = await _b.WaitOverAsync(report.Batch.Id);
        Assert.Equal(RestoreBatchStatus.Cancelled, cancelled.Batch.Status);
        Assert.All(cancelled.Items, i => Assert.Equal((RestoreItemStatus.Cancelled, "Cancelled before it started.", null), (i.Item.Status, i.Item.Error, i.Run)));
        Assert.False(Directory.Exists(root));
        Assert.False((await _b.Bulk.CancelAsync(report.Batch.Id, BackupTestBed.Operator, default)).Succeeded); // over already

        Assert.True((await _b.Bulk.RerunFailedAsync(report.Batch.Id, BackupTestBed.Operator, default)).Succeeded);
        var done = await _b.WaitOverAsync(report.Batch.Id);
        Assert.Equal((RestoreBatchStatus.Finished, 3), (done.Batch.Status, done.Summary.Succeeded));
        foreach (var (domain, _) in domains)
        {
            BulkBed.AssertSameTrees(domain, root);
        }
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "nothing-chosen", nameof(BulkRestoreRequest.BackupIds) },
        { "both-lists", nameof(BulkRestoreRequest.BackupIds) },
        { "too-many", nameof(BulkRestoreRequest.BackupIds) },
        { "unknown-backup", nameof(BulkRestoreRequest.BackupIds) },
        { "unknown-domain", nameof(BulkRestoreRequest.DomainIds) },
        { "no-kinds", nameof(BulkRestoreRequest.Files) },
        { "relative-root", nameof(BulkRestoreRequest.AlternateRoot) },
        { "dotdot-root", nameof(BulkRestoreRequest.AlternateRoot) },
        { "huge-root", nameof(BulkRestoreRequest.AlternateRoot) },
        { "hostile-suffix", nameof(BulkRestoreRequest.DatabaseSuffix) },
        { "zero-concurrency", nameof(BulkRestoreRequest.Concurrency) },
        { "huge-concurrency", nameof(BulkRestoreRequest.Concurrency) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Create_BadRequest_SaysWhatIsWrongAndCreatesNothing(string bad, string field)
    {
        var (domain, backup) = await _b.DomainWithBackupAsync("bad");
        var request = new BulkRestoreRequest { BackupIds = [backup.Id] };
        switch (bad)
        {
            case "nothing-chosen": request.BackupIds = []; break;
            case "both-lists": request.DomainIds = [domain.Id]; break;
            case "too-many": request.BackupIds = [.. Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid())]; break;
            case "unknown-backup": request.BackupIds = [backup.Id, Guid.NewGuid()]; break;
            case "unknown-domain": request.BackupIds = []; request.DomainIds = [Guid.NewGuid()]; break;
            case "no-kinds": request.Files = request.Databases = request.Mail = false; break;
            case "relative-root": request.AlternateRoot = "restored/here"; break;
            case "dotdot-root": request.AlternateRoot = "/srv/../etc"; break;
            case "huge-root": request.AlternateRoot = "/" + new string('a', 5000); break;
            case "hostile-suffix": request.DatabaseSuffix = "_x\"; DROP DATABASE shop; --"; break;
            case "zero-concurrency": request.Concurrency = 0; break;
            default: request.Concurrency = 99; break;
        }

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var before = await db.RestoreBatches.CountAsync();
        var result = await _b.Bulk.CreateAsync(request, BackupTestBed.Operator, default);

        Assert.False(result.Succeeded);
        Assert.True(result.Errors.ContainsKey(field), string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Equal(before, await db.RestoreBatches.CountAsync());
    }
}
