using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Backups as the sweeper of interrupted runs sees them: a backup holds its domain's lock until its result is saved.
/// A queued backup (one a job runs) whose node died is queued again, up to <see cref="MaxRequeues"/> times, on whichever
/// node is alive; its half-written folder is removed by that run, under the domain's lock, before it writes. Others
/// (a restore's safety backup, an import's) and repeated deaths end Failed.
/// </summary>
internal sealed class InterruptedBackups(TimeProvider clock, IBackgroundJobClient jobs) : IInterruptedRuns
{
    public const string Reason = "Interrupted: the process running this backup stopped (crash, kill or restart) before it finished; nothing of it was kept.";

    public const string RequeuedLine = "Interrupted: the node running it stopped; queued again to run on a node that is alive (the half-written folder is removed first).";

    public const int MaxRequeues = 2;

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

        var requeues = CountOf(backup.Log, RequeuedLine);
        if (backup.JobId is not null && requeues < MaxRequeues)
        {
            backup.Status = BackupStatus.Queued;
            backup.Phase = null;
            backup.Log += $"{clock.GetUtcNow():HH:mm:ss}  {RequeuedLine}\n";
            foreach (var copy in backup.Copies)
            {
                (copy.Status, copy.Error) = (BackupCopyStatus.Pending, null);
            }

            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            var backupId = backup.Id;
            var jobId = jobs.Enqueue<RunBackupJob>(job => job.RunAsync(backupId, CancellationToken.None));
            await db.Backups.Where(b => b.Id == backupId).ExecuteUpdateAsync(u => u.SetProperty(b => b.JobId, jobId), ct).ConfigureAwait(false);
            return $"Backup {backup.Id} of {backup.DomainName} (queued again)";
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

    private static int CountOf(string text, string line)
    {
        var count = 0;
        for (var at = text.IndexOf(line, StringComparison.Ordinal); at >= 0; at = text.IndexOf(line, at + line.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
