using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security.Audit;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// Keeps a running batch at its concurrency: queues a job for the next items whenever fewer than the limit are in
/// flight, and marks the batch over (once, with its audit entry and summary email) when no item is left.
/// </summary>
internal static class BulkDispatcher
{
    /// <summary>
    /// Queues jobs for the next queued items up to the batch's concurrency. The batch row is locked meanwhile so two
    /// finishing items never both fill the same free slot; jobs are queued before the commit, and an item's job only
    /// runs an item that is still queued, so a job queued twice restores once.
    /// </summary>
    public static async Task DispatchAsync(BackupPanelDbContext db, IBackgroundJobClient jobs, Guid batchId, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM restore_batches WHERE \"Id\" = {batchId} FOR UPDATE", ct).ConfigureAwait(false);
        var batch = await db.RestoreBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        if (batch.Status != RestoreBatchStatus.Running || batch.CancelRequested)
        {
            return;
        }

        var inFlight = await db.RestoreBatchItems.CountAsync(i => i.BatchId == batchId && i.Dispatched
            && (i.Status == RestoreItemStatus.Queued || i.Status == RestoreItemStatus.Running), ct).ConfigureAwait(false);
        var next = await db.RestoreBatchItems.Where(i => i.BatchId == batchId && i.Status == RestoreItemStatus.Queued && !i.Dispatched)
            .OrderBy(i => i.Position).Take(Math.Max(0, batch.Concurrency - inFlight)).ToListAsync(ct).ConfigureAwait(false);
        foreach (var item in next)
        {
            item.Dispatched = true;
            var itemId = item.Id;
            jobs.Enqueue<BulkRestoreJob>(j => j.RunItemAsync(itemId, CancellationToken.None));
        }

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>When no item is queued or running any more, marks the batch Finished (or Cancelled), audits the summary and sends it to the requester.</summary>
    public static async Task TryFinishAsync(BackupPanelDbContext db, RunEvents events, AuditService audit, TimeProvider clock, Guid batchId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var over = await db.RestoreBatches
            .Where(b => b.Id == batchId && b.Status == RestoreBatchStatus.Running && !db.RestoreBatchItems.Any(i => i.BatchId == batchId
                && (i.Status == RestoreItemStatus.Pending || i.Status == RestoreItemStatus.Queued || i.Status == RestoreItemStatus.Running)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, b => b.CancelRequested ? RestoreBatchStatus.Cancelled : RestoreBatchStatus.Finished)
                .SetProperty(b => b.FinishedAt, now), ct).ConfigureAwait(false);
        if (over == 0)
        {
            return; // not over yet, or another item's job already closed it
        }

        var batch = await db.RestoreBatches.AsNoTracking().Include(b => b.Items).SingleAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        var summary = BulkRestoreSummary.Of(batch.Items);
        var outcome = summary.Failed > 0 ? AuditOutcome.Failure : AuditOutcome.Success;
        await audit.WriteAsync(AuditActor.System, AuditActions.BulkRestoreFinished, outcome, "restore-batch", batchId.ToString(),
            RunLog.Clip($"{(batch.DryRun ? "dry run " : "")}requested by {batch.RequestedBy}: {summary}. {string.Join("; ", summary.Problems)}", 4000), ct).ConfigureAwait(false);
        events.Raise(new RunEvent(RunKind.BulkRestore, RunStage.Ended, batchId));
    }
}
