using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Finds backups left "Running" by a process that died (crash, kill, power loss) and marks them failed. A run holds
/// its domain's advisory lock until its result is saved, so a Running backup whose lock is free has no process any
/// more. Nothing is deleted here: the folder of such a run has no manifest, and the domain's next run removes it.
/// </summary>
public sealed class InterruptedRunSweeper(IDbContextFactory<BackupPanelDbContext> dbFactory, TimeProvider clock, ILogger<InterruptedRunSweeper> logger)
{
    public const string Reason = "Interrupted: the process running this backup stopped (crash, kill or restart) before it finished; nothing of it was kept.";

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

        return swept;
    }
}
