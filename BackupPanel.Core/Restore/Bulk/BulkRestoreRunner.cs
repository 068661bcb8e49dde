using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security.Audit;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// Runs one item of a bulk restore as an ordinary restore run (safety backup, staging, checks, progress — see
/// <see cref="RestoreRunner"/>), records how it went, stops the rest when it failed and continue-on-error is off,
/// then queues the next item and closes the batch when nothing is left. Idempotent: an item that is not queued is
/// not run again, and an item found running after a crash only collects its run's result.
/// </summary>
public sealed class BulkRestoreRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, RestoreService restores, RestoreRunner runner, IBackgroundJobClient jobs, RunEvents events, AuditService audit, TimeProvider clock)
{
    public async Task RunItemAsync(Guid itemId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var item = await db.RestoreBatchItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == itemId, ct).ConfigureAwait(false);
        if (item is null)
        {
            return;
        }

        var batch = await db.RestoreBatches.AsNoTracking().SingleAsync(b => b.Id == item.BatchId, ct).ConfigureAwait(false);
        Guid? runId = item.Status switch
        {
            RestoreItemStatus.Queued => await StartAsync(db, batch, item, ct).ConfigureAwait(false),
            RestoreItemStatus.Running => item.RestoreRunId, // the job was interrupted: collect (or run) what it had started
            _ => null,
        };
        if (runId is { } id)
        {
            await runner.RunAsync(id, ct).ConfigureAwait(false); // returns at once when the run is not queued (already ran, or runs elsewhere)
            await SettleAsync(db, batch, itemId, id, ct).ConfigureAwait(false);
        }

        await BulkDispatcher.DispatchAsync(db, jobs, batch.Id, ct).ConfigureAwait(false);
        await BulkDispatcher.TryFinishAsync(db, events, audit, clock, batch.Id, ct).ConfigureAwait(false);
    }

    /// <summary>Claims the item and creates its restore run; null when another job claimed it or the restore cannot start (the item then failed with why).</summary>
    private async Task<Guid?> StartAsync(BackupPanelDbContext db, RestoreBatch batch, RestoreBatchItem item, CancellationToken ct)
    {
        var claimed = await db.RestoreBatchItems.Where(i => i.Id == item.Id && i.Status == RestoreItemStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, RestoreItemStatus.Running).SetProperty(i => i.StartedAt, clock.GetUtcNow()), ct).ConfigureAwait(false);
        if (claimed == 0)
        {
            return null;
        }

        var components = await db.Set<BackupComponent>().AsNoTracking().Where(c => c.BackupId == item.BackupId).ToListAsync(ct).ConfigureAwait(false);
        var chosen = BulkChoice.Components(batch, components);
        var (run, errors) = chosen.Count == 0
            ? (null, new Dictionary<string, string> { ["Components"] = "The backup has none of what was chosen (or was deleted)." })
            : await restores.PrepareAsync(db, BulkChoice.Request(batch, item, chosen), batch.RequestedBy, ct).ConfigureAwait(false);
        if (run is null)
        {
            await FinishItemAsync(db, batch, item.Id, RestoreItemStatus.Failed, string.Join(" ", errors.Values), ct).ConfigureAwait(false);
            return null;
        }

        run.BatchItemId = item.Id;
        db.RestoreRuns.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await db.RestoreBatchItems.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.RestoreRunId, run.Id), ct).ConfigureAwait(false);
        return run.Id;
    }

    private async Task SettleAsync(BackupPanelDbContext db, RestoreBatch batch, Guid itemId, Guid runId, CancellationToken ct)
    {
        var run = await db.RestoreRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct).ConfigureAwait(false);
        if (run is { IsFinished: false })
        {
            return; // running in another process: that job settles it
        }

        var status = run?.Status switch
        {
            RestoreStatus.Succeeded => RestoreItemStatus.Succeeded,
            RestoreStatus.Cancelled => RestoreItemStatus.Cancelled,
            _ => RestoreItemStatus.Failed,
        };
        await FinishItemAsync(db, batch, itemId, status, run?.Error ?? (run is null ? "The restore run was deleted with its backup." : null), ct).ConfigureAwait(false);
    }

    private async Task FinishItemAsync(BackupPanelDbContext db, RestoreBatch batch, Guid itemId, RestoreItemStatus status, string? error, CancellationToken ct)
    {
        var clipped = error is null ? null : RunLog.Clip(error, 4000);
        await db.RestoreBatchItems.Where(i => i.Id == itemId && i.Status == RestoreItemStatus.Running).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, status).SetProperty(i => i.Error, clipped).SetProperty(i => i.FinishedAt, clock.GetUtcNow()), ct).ConfigureAwait(false);
        if (status == RestoreItemStatus.Failed && !batch.ContinueOnError)
        {
            var domain = await db.RestoreBatchItems.Where(i => i.Id == itemId).Select(i => i.DomainName).SingleAsync(ct).ConfigureAwait(false);
            var reason = $"Not started: {domain} failed and continue-on-error is off.";
            await db.RestoreBatchItems.Where(i => i.BatchId == batch.Id && i.Status == RestoreItemStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, RestoreItemStatus.Cancelled).SetProperty(i => i.Error, reason), ct).ConfigureAwait(false);
        }
    }
}
