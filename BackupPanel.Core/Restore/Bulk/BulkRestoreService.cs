using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security.Audit;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// Bulk restores: plans a batch from a selection and queues its preflight; after the person confirmed the report,
/// runs the items as jobs (see <see cref="BulkRestoreRunner"/>); cancels the rest; re-runs the failed items.
/// </summary>
public sealed class BulkRestoreService(IDbContextFactory<BackupPanelDbContext> dbFactory, IBackgroundJobClient jobs, RunEvents events, AuditService audit, TimeProvider clock, Security.Paths.PathGuard paths)
{
    /// <summary>The most items one batch may hold.</summary>
    public const int MaxItems = 1000;

    /// <summary>Validates the selection and choices, creates the batch and queues its preflight; errors by field otherwise.</summary>
    public async Task<SaveResult> CreateAsync(BulkRestoreRequest request, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = BulkRequestRules.Validate(request);
        if (!errors.ContainsKey(nameof(BulkRestoreRequest.AlternateRoot))
            && await paths.CheckAsync(request.AlternateRoot?.Trim(), Security.Paths.PathUse.Data, ct).ConfigureAwait(false) is { } refused)
        {
            errors[nameof(BulkRestoreRequest.AlternateRoot)] = refused;
        }

        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = NewBatch(request, actor.UserName);
        var items = request.BackupIds.Count > 0
            ? await BulkSelection.FromBackupsAsync(db, request.BackupIds, errors, ct).ConfigureAwait(false)
            : await BulkSelection.LatestOfDomainsAsync(db, request, errors, ct).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        foreach (var (item, position) in items.Select((item, i) => (item, i)))
        {
            item.Id = Guid.NewGuid();
            item.Position = position;
            item.Attempt = 1;
            item.TargetDirectory = batch.AlternateRoot is { } root ? Path.Combine(root, item.DomainName) : null;
            batch.Items.Add(item);
        }

        db.RestoreBatches.Add(batch);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        jobs.Enqueue<BulkRestoreJob>(j => j.PreflightAsync(batch.Id, CancellationToken.None));
        return SaveResult.Saved(batch.Id);
    }

    /// <summary>Starts a checked batch: items the preflight found errors in are skipped with that reason, the others queued.</summary>
    public async Task<SaveResult> ConfirmAsync(Guid batchId, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = await db.RestoreBatches.Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        if (batch is not { Status: RestoreBatchStatus.Ready })
        {
            return SaveResult.Failed("Batch", batch is null ? "This bulk restore does not exist." : $"Only a checked bulk restore can start; this one is {batch.Status}.");
        }

        foreach (var item in batch.Items.Where(i => i.Status == RestoreItemStatus.Pending))
        {
            var firstError = BulkPreflight.Errors(item.PreflightReport).FirstOrDefault();
            item.Status = firstError is null ? RestoreItemStatus.Queued : RestoreItemStatus.Skipped;
            item.Error = firstError is null ? null : "Preflight: " + firstError;
        }

        batch.Status = RestoreBatchStatus.Running;
        batch.StartedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var queued = batch.Items.Count(i => i.Status == RestoreItemStatus.Queued);
        await audit.WriteAsync(actor, AuditActions.BulkRestoreStarted, AuditOutcome.Success, "restore-batch", batch.Id.ToString(),
            $"{(batch.DryRun ? "dry run: " : "")}{queued} of {batch.Items.Count} backups ({Describe(batch)}); {batch.Items.Count - queued} skipped by the preflight", ct).ConfigureAwait(false);
        await BulkDispatcher.DispatchAsync(db, jobs, batch.Id, ct).ConfigureAwait(false);
        await BulkDispatcher.TryFinishAsync(db, events, audit, clock, batch.Id, ct).ConfigureAwait(false);
        return SaveResult.Saved(batch.Id);
    }

    /// <summary>Cancels the items not started (running ones finish); a batch not started yet is discarded.</summary>
    public async Task<SaveResult> CancelAsync(Guid batchId, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = await db.RestoreBatches.SingleOrDefaultAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        if (batch is null || batch.IsFinished)
        {
            return SaveResult.Failed("Batch", batch is null ? "This bulk restore does not exist." : "This bulk restore is already over.");
        }

        var started = batch.Status == RestoreBatchStatus.Running;
        batch.CancelRequested = true;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var reason = started ? "Cancelled before it started." : "Discarded after the preflight; never started.";
        var cancelled = await db.RestoreBatchItems.Where(i => i.BatchId == batchId && (i.Status == RestoreItemStatus.Queued || i.Status == RestoreItemStatus.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, RestoreItemStatus.Cancelled).SetProperty(i => i.Error, reason), ct).ConfigureAwait(false);
        if (!started)
        {
            await db.RestoreBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, RestoreBatchStatus.Cancelled).SetProperty(b => b.FinishedAt, clock.GetUtcNow()), ct).ConfigureAwait(false);
        }

        await audit.WriteAsync(actor, AuditActions.BulkRestoreCancelled, AuditOutcome.Success, "restore-batch", batchId.ToString(),
            $"{cancelled} item(s) not started were cancelled; running ones finish", ct).ConfigureAwait(false);
        await BulkDispatcher.TryFinishAsync(db, events, audit, clock, batchId, ct).ConfigureAwait(false);
        return SaveResult.Saved(batchId);
    }

    /// <summary>Runs the failed and cancelled items of a finished batch again (a new restore each); succeeded ones stay as they are.</summary>
    public async Task<SaveResult> RerunFailedAsync(Guid batchId, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = await db.RestoreBatches.Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        var again = batch?.Items.Where(i => i.Status is RestoreItemStatus.Failed or RestoreItemStatus.Cancelled).ToList() ?? [];
        if (batch is null || !batch.IsFinished || batch.StartedAt is null || again.Count == 0)
        {
            return SaveResult.Failed("Batch", batch is null ? "This bulk restore does not exist."
                : !batch.IsFinished ? "Wait until this bulk restore is over." : batch.StartedAt is null ? "This bulk restore never started." : "No item failed or was cancelled.");
        }

        foreach (var item in again)
        {
            (item.Status, item.Dispatched, item.Error, item.RestoreRunId, item.StartedAt, item.FinishedAt) = (RestoreItemStatus.Queued, false, null, null, null, null);
            item.Attempt++;
        }

        (batch.Status, batch.CancelRequested, batch.FinishedAt) = (RestoreBatchStatus.Running, false, null);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.BulkRestoreRerun, AuditOutcome.Success, "restore-batch", batchId.ToString(),
            $"re-running {again.Count} item(s): {string.Join(", ", again.Take(20).Select(i => i.DomainName))}", ct).ConfigureAwait(false);
        await BulkDispatcher.DispatchAsync(db, jobs, batchId, ct).ConfigureAwait(false);
        return SaveResult.Saved(batchId);
    }

    /// <summary>The batch, its items with their latest runs, and the counts; null when it does not exist.</summary>
    public async Task<BulkRestoreView?> GetAsync(Guid batchId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = await db.RestoreBatches.AsNoTracking().Include(b => b.Items.OrderBy(i => i.Position)).SingleOrDefaultAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        if (batch is null)
        {
            return null;
        }

        var runIds = batch.Items.Where(i => i.RestoreRunId is not null).Select(i => i.RestoreRunId!.Value).ToList();
        var runs = await db.RestoreRuns.AsNoTracking().Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct).ConfigureAwait(false);
        var items = batch.Items.Select(i => new BulkRestoreItemView(i, i.RestoreRunId is { } id ? runs.GetValueOrDefault(id) : null)).ToList();
        return new BulkRestoreView(batch, items, BulkRestoreSummary.Of(batch.Items));
    }

    /// <summary>The latest bulk restores, newest first, with their counts.</summary>
    public async Task<IReadOnlyList<(RestoreBatch Batch, BulkRestoreSummary Summary)>> ListAsync(int take, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batches = await db.RestoreBatches.AsNoTracking().Include(b => b.Items).OrderByDescending(b => b.CreatedAt).Take(take).ToListAsync(ct).ConfigureAwait(false);
        return batches.Select(b => (b, BulkRestoreSummary.Of(b.Items))).ToList();
    }

    /// <summary>The backups of a selection, for the form to show what was chosen (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<Backups.Backup>> BackupsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().Take(MaxItems + 1).ToList();
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Backups.AsNoTracking().Where(b => wanted.Contains(b.Id)).OrderBy(b => b.DomainName).ThenByDescending(b => b.CreatedAt).ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The batch's choices in words, for the audit log and the page.</summary>
    public static string Describe(RestoreBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        string[] kinds = [.. batch.Files ? ["files"] : Array.Empty<string>(), .. batch.Databases ? ["databases"] : Array.Empty<string>(), .. batch.Mail ? ["mail"] : Array.Empty<string>()];
        return $"{string.Join(", ", kinds)}; {BulkRestoreWords.Targets(batch)}; safety backups of what is replaced in place {(batch.SafetyBackup ? "on" : "off")}; "
            + $"continue on error {(batch.ContinueOnError ? "on" : "off")}; {batch.Concurrency} at a time";
    }

    private RestoreBatch NewBatch(BulkRestoreRequest request, string requestedBy) => new()
    {
        Id = Guid.NewGuid(), Status = RestoreBatchStatus.Checking, CreatedAt = clock.GetUtcNow(), RequestedBy = requestedBy,
        Files = request.Files, Databases = request.Databases, Mail = request.Mail,
        AlternateRoot = RestoreService.Normalize(request.AlternateRoot), DatabaseSuffix = !string.IsNullOrWhiteSpace(request.DatabaseSuffix) ? request.DatabaseSuffix.Trim()
            : request.Elsewhere && request.Databases ? RestoreService.DefaultSuffix : null,
        SafetyBackup = request.SafetyBackup && !request.DryRun, ContinueOnError = request.ContinueOnError, Concurrency = request.Concurrency, DryRun = request.DryRun,
    };
}
