using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>Backups as the sweeper of interrupted runs sees them: a backup holds its domain's lock until its result is saved.</summary>
internal sealed class InterruptedBackups(TimeProvider clock) : IInterruptedRuns
{
    public const string Reason = "Interrupted: the process running this backup stopped (crash, kill or restart) before it finished; nothing of it was kept.";

    public RunLockScope Scope => RunLockScope.Domain;

    public async Task<IReadOnlyList<RunningRun>> RunningAsync(BackupPanelDbContext db, CancellationToken ct) =>
        await db.Backups.AsNoTracking().Where(b => b.Status == BackupStatus.Running && b.DomainId != null)
            .Select(b => new RunningRun(b.Id, b.DomainId!.Value)).ToListAsync(ct).ConfigureAwait(false);

    public async Task<string?> MarkInterruptedAsync(BackupPanelDbContext db, Guid id, CancellationToken ct)
    {
        var backup = await db.Backups.Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == id, ct).ConfigureAwait(false);
        if (backup is not { Status: BackupStatus.Running })
        {
            return null;
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

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return $"Backup {backup.Id} of {backup.DomainName}";
    }
}
