using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore;

/// <summary>Restores as the sweeper of interrupted runs sees them: a restore holds its own lock until its result is saved.</summary>
internal sealed class InterruptedRestores(TimeProvider clock) : IInterruptedRuns
{
    public const string Reason = "Interrupted: the process running this restore stopped (crash, kill or restart). Components it had finished are restored; the one in progress was not written (its staging folder is removed by the next restore into that folder).";

    public RunLockScope Scope => RunLockScope.Restore;

    public async Task<IReadOnlyList<RunningRun>> RunningAsync(BackupPanelDbContext db, CancellationToken ct) =>
        await db.RestoreRuns.AsNoTracking().Where(r => r.Status == RestoreStatus.Running)
            .Select(r => new RunningRun(r.Id, r.Id)).ToListAsync(ct).ConfigureAwait(false);

    public async Task<string?> MarkInterruptedAsync(BackupPanelDbContext db, Guid id, CancellationToken ct)
    {
        var run = await db.RestoreRuns.SingleOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false);
        if (run is not { Status: RestoreStatus.Running })
        {
            return null;
        }

        (run.Status, run.Error, run.FinishedAt, run.Phase) = (RestoreStatus.Failed, Reason, clock.GetUtcNow(), null);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return $"Restore {run.Id} of {run.DomainName}";
    }
}
