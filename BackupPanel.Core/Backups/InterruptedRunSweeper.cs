using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Finds backups, restores and imports left "Running" by a process that died (crash, kill, power loss) and marks them failed.
/// A backup holds its domain's advisory lock, and a restore its own, until the result is saved, so a Running run
/// whose lock is free has no process any more. Nothing is deleted here: an abandoned backup's folder has no
/// manifest, and the domain's next run removes it.
/// </summary>
public sealed class InterruptedRunSweeper(IDbContextFactory<BackupPanelDbContext> dbFactory, TimeProvider clock, ILogger<InterruptedRunSweeper> logger)
{
    public const string Reason = "Interrupted: the process running this backup stopped (crash, kill or restart) before it finished; nothing of it was kept.";

    public const string RestoreReason = "Interrupted: the process running this restore stopped (crash, kill or restart). Components it had finished are restored; the one in progress was not written (its staging folder is removed by the next restore into that folder).";

    public const string ImportReason = "Interrupted: the process running this import stopped (crash, kill or restart). Domains listed as imported are complete; "
        + "the one in progress may be half-imported (its imported backup incomplete, its folders partly written): check it, or import the archive again (that is safe).";

    /// <summary>Marks every abandoned run failed; returns how many there were.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = await db.Backups.Include(b => b.Copies).Where(b => b.Status == BackupStatus.Running && b.DomainId != null).ToListAsync(ct);
        var swept = 0;
        foreach (var backup in running)
        {
            await using var domainLock = await DomainLock.TryAcquireAsync(db.Database.GetConnectionString()!, backup.DomainId!.Value, ct);
            if (domainLock is null)
            {
                continue; // its run is alive (here or on another node)
            }

            // Re-read under the lock: the run may have finished just before we took it.
            await db.Entry(backup).ReloadAsync(ct);
            if (backup.Status != BackupStatus.Running)
            {
                continue;
            }

            backup.Status = BackupStatus.Failed;
            backup.Error = Reason;
            backup.FinishedAt = clock.GetUtcNow();
            backup.Phase = null;
            backup.Log += $"{clock.GetUtcNow():HH:mm:ss}  {Reason}\n";
            foreach (var copy in backup.Copies.Where(c => c.Status == BackupCopyStatus.Pending))
            {
                copy.Status = BackupCopyStatus.Failed;
                copy.Error = "interrupted";
            }

            await db.SaveChangesAsync(ct);
            swept++;
            logger.LogWarning("Backup {BackupId} of {Domain} was interrupted and is marked failed", backup.Id, backup.DomainName);
        }

        return swept + await SweepRestoresAsync(db, ct) + await SweepImportsAsync(db, ct);
    }

    private async Task<int> SweepRestoresAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        var running = await db.RestoreRuns.Where(r => r.Status == Restore.RestoreStatus.Running).ToListAsync(ct);
        var swept = 0;
        foreach (var run in running)
        {
            await using var runLock = await DomainLock.TryAcquireRestoreAsync(db.Database.GetConnectionString()!, run.Id, ct);
            if (runLock is null)
            {
                continue;
            }

            await db.Entry(run).ReloadAsync(ct);
            if (run.Status != Restore.RestoreStatus.Running)
            {
                continue;
            }

            run.Status = Restore.RestoreStatus.Failed;
            run.Error = RestoreReason;
            run.FinishedAt = clock.GetUtcNow();
            run.Phase = null;
            await db.SaveChangesAsync(ct);
            swept++;
            logger.LogWarning("Restore {RestoreId} of {Domain} was interrupted and is marked failed", run.Id, run.DomainName);
        }

        return swept;
    }

    private async Task<int> SweepImportsAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        var running = await db.ImportRuns.Where(r => r.Status == Import.ImportStatus.Running).ToListAsync(ct);
        var swept = 0;
        foreach (var run in running)
        {
            await using var runLock = await DomainLock.TryAcquireImportAsync(db.Database.GetConnectionString()!, run.Id, ct);
            if (runLock is null)
            {
                continue;
            }

            await db.Entry(run).ReloadAsync(ct);
            if (run.Status != Import.ImportStatus.Running)
            {
                continue;
            }

            (run.Status, run.Error, run.FinishedAt, run.Phase) = (Import.ImportStatus.Failed, ImportReason, clock.GetUtcNow(), null);
            await db.SaveChangesAsync(ct);
            swept++;
            logger.LogWarning("Import {ImportId} of {Source} was interrupted and is marked failed", run.Id, run.SourceName);
        }

        return swept;
    }
}
