using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore.Bulk;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Restore;

/// <summary>Bulk restores against real domains, backups, PostgreSQL and MariaDB: preflight, batch run, failure, re-run.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class BulkRestoreTests(AppFixture app, MariaDbFixture maria) : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly BulkBed _b = new(app);

    public void Dispose() => _b.Dispose();

    [Fact]
    public async Task BulkRestore_FiveDomainsOneBroken_FourSucceedOneFailsWithItsReasonThenRerunFixesIt()
    {
        var (pgName, pgRole) = await ShopDatabases.CreatePostgresAsync(app, rows: 120, owner: true);
        var (myName, myUser) = await ShopDatabases.CreateMariaDbAsync(maria, rows: 80);
        var d1 = await _b.DomainWithBackupAsync("one");
        var d2 = await _b.DomainWithBackupAsync("two", database: new DatabaseInput
        {
            Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = pgName, User = pgRole, NewPassword = ShopDatabases.Password,
        });
        var d3 = await _b.DomainWithBackupAsync("three");
        var d4 = await _b.DomainWithBackupAsync("four", database: new DatabaseInput
        {
            Engine = DatabaseEngine.MySql, Host = "127.0.0.1", Port = maria.Port, Name = myName, User = myUser, NewPassword = ShopDatabases.Password,
        });
        var d5 = await _b.DomainWithBackupAsync("five");
        var (brokenPath, intact) = await _b.BreakFilesAsync(d3.Backup);
        var root = Path.Combine(_b.Bed.Dir, "restored");

        var checkedView = await _b.CheckAsync(new BulkRestoreRequest
        {
            BackupIds = [d1.Backup.Id, d2.Backup.Id, d3.Backup.Id, d4.Backup.Id, d5.Backup.Id], AlternateRoot = root, DatabaseSuffix = "_restored", Concurrency = 2,
        });

        Assert.Equal(RestoreBatchStatus.Ready, checkedView.Batch.Status);
        Assert.All(checkedView.Items, i => Assert.NotEqual(PreflightLevel.Error, i.Item.Preflight));
        Assert.Contains($"Database {pgName}_restored does not exist: it will be created.", BulkBed.ItemOf(checkedView, d2.Domain).Item.PreflightReport, StringComparison.Ordinal);
        Assert.Matches(@"ok: PostgreSQL \d+ at 127\.0\.0\.1:\d+ answers as .*; restore tool .*pg_restore", BulkBed.ItemOf(checkedView, d2.Domain).Item.PreflightReport);
        Assert.Matches(@"ok: MySQL/MariaDB [\d.]+.* answers as .*; restore tool .*(mariadb|mysql)", BulkBed.ItemOf(checkedView, d4.Domain).Item.PreflightReport);
        Assert.False(Directory.Exists(root)); // the preflight writes nothing

        var done = await _b.ConfirmAndWaitAsync(checkedView.Batch.Id);

        Assert.Equal(RestoreBatchStatus.Finished, done.Batch.Status);
        Assert.Equal((5, 4, 1, 0), (done.Summary.Total, done.Summary.Succeeded, done.Summary.Failed, done.Summary.Skipped));
        var failed = BulkBed.ItemOf(done, d3.Domain).Item;
        Assert.Equal(RestoreItemStatus.Failed, failed.Status);
        Assert.Contains(Path.GetFileName(brokenPath), failed.Error, StringComparison.Ordinal);
        Assert.Contains(done.Summary.Problems, p => p.StartsWith(d3.Domain.Name + ": failed", StringComparison.Ordinal));
        foreach (var ok in new[] { d1, d2, d4, d5 })
        {
            Assert.True(BulkBed.ItemOf(done, ok.Domain).Item.Status == RestoreItemStatus.Succeeded, BulkBed.ItemOf(done, ok.Domain).Run?.Log);
            BulkBed.AssertSameTrees(ok.Domain, root);
        }

        Assert.False(Directory.Exists(Path.Combine(root, d3.Domain.Name, "files")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, d3.Domain.Name, "files")).Any());
        Assert.Equal(await ShopDatabases.PostgresChecksumAsync(app, pgName), await ShopDatabases.PostgresChecksumAsync(app, pgName + "_restored"));
        Assert.Equal(await ShopDatabases.MariaDbChecksumAsync(maria, myUser, myName), await ShopDatabases.MariaDbChecksumAsync(maria, myUser, myName + "_restored"));
        var audit = await app.Services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(Text: done.Batch.Id.ToString(), Action: AuditActions.BulkRestoreFinished));
        var entry = Assert.Single(audit.Items);
        Assert.Equal(AuditOutcome.Failure, entry.Outcome);
        Assert.Contains("5 total: 4 succeeded, 1 failed", entry.Details, StringComparison.Ordinal);
        Assert.Contains(d3.Domain.Name, entry.Details, StringComparison.Ordinal);

        // Re-run the failed item only, once its archive is whole again.
        await File.WriteAllBytesAsync(brokenPath, intact);
        var runsBefore = done.Items.Where(i => i.Item.Status == RestoreItemStatus.Succeeded).ToDictionary(i => i.Item.Id, i => i.Item.RestoreRunId);
        var rerun = await _b.Bulk.RerunFailedAsync(done.Batch.Id, BackupTestBed.Operator, default);
        Assert.True(rerun.Succeeded, string.Join("; ", rerun.Errors.Values));
        var again = await _b.WaitOverAsync(done.Batch.Id);

        Assert.Equal(5, again.Summary.Succeeded);
        Assert.Equal(2, BulkBed.ItemOf(again, d3.Domain).Item.Attempt);
        BulkBed.AssertSameTrees(d3.Domain, root);
        Assert.All(again.Items.Where(i => runsBefore.ContainsKey(i.Item.Id)), i => Assert.Equal(runsBefore[i.Item.Id], i.Item.RestoreRunId)); // not run again
        Assert.False((await _b.Bulk.RerunFailedAsync(done.Batch.Id, BackupTestBed.Operator, default)).Succeeded); // nothing left to re-run
    }

    [Fact]
    public async Task Preflight_TargetTooSmallForTheBatch_FlagsTheItemThatWouldFillItAndNothingOfItIsWritten()
    {
        Assert.True(BackupPanel.Core.Archive.UnixFile.IsRoot, "this test mounts a 1 MiB tmpfs, which needs root");
        var first = await _b.DomainWithBackupAsync("first", extraBytes: 600_000);
        var second = await _b.DomainWithBackupAsync("second", extraBytes: 600_000);
        var small = Path.Combine(_b.Bed.Dir, "small");
        Directory.CreateDirectory(small);
        (await Shell.RunAsync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", small])).EnsureSuccess("mount tmpfs");
        try
        {
            var report = await _b.CheckAsync(new BulkRestoreRequest { BackupIds = [first.Backup.Id, second.Backup.Id], AlternateRoot = small, Concurrency = 1 });

            Assert.NotEqual(PreflightLevel.Error, BulkBed.ItemOf(report, first.Domain).Item.Preflight);
            var full = BulkBed.ItemOf(report, second.Domain).Item;
            Assert.Equal(PreflightLevel.Error, full.Preflight);
            Assert.Contains($"error: Not enough space for files at {Path.Combine(small, second.Domain.Name, "files")}", full.PreflightReport, StringComparison.Ordinal);
            Assert.Contains("after the items before it in this batch", full.PreflightReport, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(small));

            var done = await _b.ConfirmAndWaitAsync(report.Batch.Id);

            Assert.Equal(RestoreItemStatus.Succeeded, BulkBed.ItemOf(done, first.Domain).Item.Status);
            var skipped = BulkBed.ItemOf(done, second.Domain).Item;
            Assert.Equal(RestoreItemStatus.Skipped, skipped.Status);
            Assert.StartsWith("Preflight: Not enough space", skipped.Error, StringComparison.Ordinal);
            Assert.Equal([first.Domain.Name], Directory.EnumerateFileSystemEntries(small).Select(Path.GetFileName));
        }
        finally
        {
            (await Shell.RunAsync("umount", [small])).EnsureSuccess("umount");
        }
    }

    [Fact]
    public async Task ContinueOnErrorOff_FirstItemFails_TheRestAreNotStarted()
    {
        var broken = await _b.DomainWithBackupAsync("broken");
        var fine = await _b.DomainWithBackupAsync("fine");
        await _b.BreakFilesAsync(broken.Backup);
        var root = Path.Combine(_b.Bed.Dir, "restored");

        var report = await _b.CheckAsync(new BulkRestoreRequest { BackupIds = [broken.Backup.Id, fine.Backup.Id], AlternateRoot = root, Concurrency = 1, ContinueOnError = false });
        var done = await _b.ConfirmAndWaitAsync(report.Batch.Id);

        Assert.Equal(RestoreItemStatus.Failed, BulkBed.ItemOf(done, broken.Domain).Item.Status);
        var stopped = BulkBed.ItemOf(done, fine.Domain);
        Assert.Equal(RestoreItemStatus.Cancelled, stopped.Item.Status);
        Assert.Equal($"Not started: {broken.Domain.Name} failed and continue-on-error is off.", stopped.Item.Error);
        Assert.Null(stopped.Run);
        Assert.False(Directory.Exists(Path.Combine(root, fine.Domain.Name)));
    }
}
