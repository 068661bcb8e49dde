using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Import;

/// <summary>Imports as the sweeper of interrupted runs sees them: an import holds its own lock until its outcome is saved.</summary>
internal sealed class InterruptedImports(TimeProvider clock) : IInterruptedRuns
{
    public const string Reason = "Interrupted: the process running this import stopped (crash, kill or restart). Domains listed as imported are complete; "
        + "the one in progress may be half-imported (its imported backup incomplete, its folders partly written): check it, or import the archive again (that is safe).";

    public RunLockScope Scope => RunLockScope.Import;

    public async Task<IReadOnlyList<RunningRun>> RunningAsync(BackupPanelDbContext db, CancellationToken ct) =>
        await db.ImportRuns.AsNoTracking().Where(r => r.Status == ImportStatus.Running)
            .Select(r => new RunningRun(r.Id, r.Id)).ToListAsync(ct).ConfigureAwait(false);

    public async Task<string?> MarkInterruptedAsync(BackupPanelDbContext db, Guid id, CancellationToken ct)
    {
        var run = await db.ImportRuns.SingleOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false);
        if (run is not { Status: ImportStatus.Running })
        {
            return null;
        }

        (run.Status, run.Error, run.FinishedAt, run.Phase) = (ImportStatus.Failed, Reason, clock.GetUtcNow(), null);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return $"Import {run.Id} of {run.SourceName}";
    }
}
