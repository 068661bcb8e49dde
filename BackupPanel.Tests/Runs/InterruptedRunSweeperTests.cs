using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Runs;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Runs;

/// <summary>Running rows whose process is gone are failed; rows whose run still holds its lock are left alone.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class InterruptedRunSweeperTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task SweepAsync_RunningRowsWithoutTheirProcess_AreFailedButLiveOnesStay()
    {
        await _bed.AddDestinationAsync();
        var dead = await _bed.AddDomainAsync(new DomainInput { FilesRoot = _bed.Dir });
        var alive = await _bed.AddDomainAsync(new DomainInput { FilesRoot = _bed.Dir });
        var deadBackup = await MarkRunningAsync(await _bed.QueueWithoutJobAsync(dead));
        var liveBackup = await MarkRunningAsync(await _bed.QueueWithoutJobAsync(alive));
        var deadRestore = await AddRunningRestoreAsync(deadBackup);
        var liveRestore = await AddRunningRestoreAsync(deadBackup);
        await using var liveDomainLock = await RunLock.TryAcquireAsync(app.ConnectionString, RunLockScope.Domain, alive.Id, default);
        await using var liveRestoreLock = await RunLock.TryAcquireAsync(app.ConnectionString, RunLockScope.Restore, liveRestore, default);

        await app.Services.GetRequiredService<InterruptedRunSweeper>().SweepAsync(default);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var backups = await db.Backups.AsNoTracking().Include(b => b.Copies).Where(b => b.Id == deadBackup || b.Id == liveBackup).ToDictionaryAsync(b => b.Id);
        Assert.Equal(BackupStatus.Failed, backups[deadBackup].Status);
        Assert.Equal(InterruptedBackups.Reason, backups[deadBackup].Error);
        Assert.Equal(BackupCopyStatus.Failed, backups[deadBackup].Copies[0].Status);
        Assert.Equal(BackupStatus.Running, backups[liveBackup].Status);
        Assert.Equal(RestoreStatus.Failed, (await db.RestoreRuns.AsNoTracking().SingleAsync(r => r.Id == deadRestore)).Status);
        Assert.Equal(RestoreStatus.Running, (await db.RestoreRuns.AsNoTracking().SingleAsync(r => r.Id == liveRestore)).Status);
    }

    [Fact]
    public async Task SweepAsync_RunningImportWithoutItsProcess_IsFailedSayingWhatToCheck()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var dead = RunningImport();
        var live = RunningImport();
        db.ImportRuns.AddRange(dead, live);
        await db.SaveChangesAsync();
        await using var liveLock = await RunLock.TryAcquireAsync(app.ConnectionString, RunLockScope.Import, live.Id, default);

        await app.Services.GetRequiredService<InterruptedRunSweeper>().SweepAsync(default);

        var runs = await db.ImportRuns.AsNoTracking().Where(r => r.Id == dead.Id || r.Id == live.Id).ToDictionaryAsync(r => r.Id);
        Assert.Equal((Core.Import.ImportStatus.Failed, Core.Import.InterruptedImports.Reason), (runs[dead.Id].Status, runs[dead.Id].Error));
        Assert.Equal(Core.Import.ImportStatus.Running, runs[live.Id].Status);
    }

    private static Core.Import.ImportRun RunningImport() => new()
    {
        Id = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "test", SourceName = "cpmove-x.tar.gz", ArchivePath = "/nowhere",
        Status = Core.Import.ImportStatus.Running, StartedAt = DateTimeOffset.UtcNow,
    };

    private async Task<Guid> MarkRunningAsync(Guid backupId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        await db.Backups.Where(b => b.Id == backupId).ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BackupStatus.Running).SetProperty(b => b.StartedAt, DateTimeOffset.UtcNow));
        return backupId;
    }

    private async Task<Guid> AddRunningRestoreAsync(Guid backupId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var run = new RestoreRun { Id = Guid.NewGuid(), BackupId = backupId, DomainName = "x", Components = ["files.tar.zst.age"], Status = RestoreStatus.Running, CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "test" };
        db.RestoreRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
