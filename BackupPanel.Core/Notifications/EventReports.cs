using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Restore.Bulk;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Notifications;

/// <summary>
/// Reads what a finished backup, plan run, verification, restore or retention run recorded, and raises the events
/// it calls for. Called from jobs queued after the result is saved, so nothing here can fail or slow the run itself.
/// </summary>
public sealed class EventReports(IDbContextFactory<BackupPanelDbContext> dbFactory, IPlanRoutes routes, Notifier notifier)
{
    /// <summary>Failed, partially succeeded or succeeded; a failed copy also says its destination could not be written.</summary>
    public async Task BackupFinishedAsync(Guid backupId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.AsNoTracking().Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
        if (backup is null) return;
        var plan = await routes.GetAsync(backup.PlanId, ct).ConfigureAwait(false);
        var e = backup.Status switch
        {
            BackupStatus.Failed => NotificationEvents.BackupFailed,
            BackupStatus.PartiallySucceeded => NotificationEvents.BackupPartiallySucceeded,
            BackupStatus.Succeeded => NotificationEvents.BackupSucceeded,
            _ => NotificationEvents.None,
        };
        if (e != NotificationEvents.None)
        {
            await notifier.RaiseAsync(Facts(backup, plan, e), plan, null, $"backup:{backup.Id:N}", ct).ConfigureAwait(false);
        }

        foreach (var copy in backup.Copies.Where(c => c.FailedAtDestination && c.DestinationId is not null))
        {
            var facts = new NotificationFacts(NotificationEvents.DestinationUnreachable, $"{copy.DestinationName} could not be written")
            {
                PlanId = plan?.PlanId, PlanName = plan?.PlanName, DomainName = backup.DomainName, Error = copy.Error,
                Destinations = [copy.DestinationName], LinkPath = "destinations",
            };
            var day = backup.FinishedAt ?? backup.CreatedAt;
            await notifier.RaiseAsync(facts, plan, null, $"destination:{copy.DestinationId:N}:{day.UtcDateTime:yyyyMMdd}", ct).ConfigureAwait(false); // once a day per destination
        }

        if (backup.PlanRunId is { } run && plan is not null)
        {
            await RunFinishedAsync(db, plan, run, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The start of a plan run: its "/start" ping.</summary>
    public async Task RunStartedAsync(Guid planId, Guid runId, CancellationToken ct)
    {
        if (await routes.GetAsync(planId, ct).ConfigureAwait(false) is { } plan)
        {
            await notifier.PingAsync(plan, runId, "start", $"Plan {plan.PlanName} started.", ct).ConfigureAwait(false);
        }
    }

    /// <summary>A scheduled run that came too late: one Missed event listing its domains, then the run's failure ping.</summary>
    public async Task RunMissedAsync(Guid planId, Guid runId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var plan = await routes.GetAsync(planId, ct).ConfigureAwait(false);
        var missed = await db.Backups.AsNoTracking().Where(b => b.PlanRunId == runId).OrderBy(b => b.DomainName).ToListAsync(ct).ConfigureAwait(false);
        if (plan is null || missed.Count == 0) return;
        var facts = new NotificationFacts(NotificationEvents.BackupMissed, $"plan {plan.PlanName} did not run on time")
        {
            PlanId = plan.PlanId, PlanName = plan.PlanName, Error = missed[0].Error, Status = nameof(BackupStatus.Missed),
            Details = [.. missed.Select(b => b.DomainName)], LinkPath = "plans",
        };
        await notifier.RaiseAsync(facts, plan, null, $"missed:{runId:N}", ct).ConfigureAwait(false);
        await RunFinishedAsync(db, plan, runId, ct).ConfigureAwait(false);
    }

    public async Task VerifyFinishedAsync(Guid backupId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.AsNoTracking().Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
        if (backup is not { VerifySucceeded: false }) return;
        var plan = await routes.GetAsync(backup.PlanId, ct).ConfigureAwait(false);
        var facts = Facts(backup, plan, NotificationEvents.VerifyFailed) with { Error = backup.VerifyMessage };
        await notifier.RaiseAsync(facts, plan, null, $"verify:{backup.Id:N}:{backup.VerifiedAt?.ToUnixTimeMilliseconds()}", ct).ConfigureAwait(false);
    }

    /// <summary>Any finished restore: the admin list, the backup's plan, and the person who asked for it hear how it went.</summary>
    public async Task RestoreFinishedAsync(Guid restoreId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var run = await db.RestoreRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == restoreId, ct).ConfigureAwait(false);
        if (run is null || !run.IsFinished) return;
        var planId = await db.Backups.AsNoTracking().Where(b => b.Id == run.BackupId).Select(b => b.PlanId).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        var plan = await routes.GetAsync(planId, ct).ConfigureAwait(false);
        var what = run.DryRun ? "dry run of a restore" : "restore";
        var facts = new NotificationFacts(NotificationEvents.RestoreFinished, $"{what} of {run.DomainName}: {run.Status}")
        {
            PlanId = plan?.PlanId, PlanName = plan?.PlanName, BackupId = run.BackupId, DomainName = run.DomainName, Status = run.Status.ToString(),
            StartedAt = run.StartedAt, FinishedAt = run.FinishedAt, Error = run.Error, Details = [$"Requested by {run.RequestedBy}", .. run.Components],
            LinkPath = $"backups/{run.BackupId}",
        };
        string[] requester = run.RequestedBy.Contains('@', StringComparison.Ordinal) ? [run.RequestedBy] : [];
        await notifier.RaiseAsync(facts, plan, requester, $"restore:{run.Id:N}", ct).ConfigureAwait(false);
    }

    /// <summary>A bulk restore is over: one message with the counts and each failure's reason, to the admin list and the requester.</summary>
    public async Task BulkRestoreFinishedAsync(Guid batchId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = await db.RestoreBatches.AsNoTracking().Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        if (batch is null || !batch.IsFinished) return;
        var summary = BulkRestoreSummary.Of(batch.Items);
        var facts = new NotificationFacts(NotificationEvents.RestoreFinished, $"{(batch.DryRun ? "dry run of a " : "")}bulk restore of {summary.Total} backups: {summary.Succeeded} succeeded, {summary.Failed} failed")
        {
            Status = batch.Status.ToString(), StartedAt = batch.StartedAt, FinishedAt = batch.FinishedAt,
            Error = summary.Failed > 0 ? $"{summary.Failed} of {summary.Total} restores failed." : null,
            Details = [$"Requested by {batch.RequestedBy}", summary.ToString(), .. summary.Problems.Take(200)],
            LinkPath = $"restore/bulk/{batch.Id}",
        };
        string[] requester = batch.RequestedBy.Contains('@', StringComparison.Ordinal) ? [batch.RequestedBy] : [];
        await notifier.RaiseAsync(facts, null, requester, $"bulk:{batch.Id:N}:{batch.FinishedAt?.ToUnixTimeMilliseconds()}", ct).ConfigureAwait(false);
    }

    public async Task RetentionDeletedAsync(Guid planId, IReadOnlyList<string> deleted, IReadOnlyList<string> problems, CancellationToken ct)
    {
        var plan = await routes.GetAsync(planId, ct).ConfigureAwait(false);
        if (plan is null || deleted.Count == 0) return;
        var facts = new NotificationFacts(NotificationEvents.RetentionDeleted, $"plan {plan.PlanName} deleted {deleted.Count} old backup cop{(deleted.Count == 1 ? "y" : "ies")}")
        {
            PlanId = plan.PlanId, PlanName = plan.PlanName, Details = [.. deleted.Take(200), .. problems.Take(50).Select(p => "Not deleted: " + p)],
            LinkPath = $"plans/{plan.PlanId}/retention",
        };
        await notifier.RaiseAsync(facts, plan, null, null, ct).ConfigureAwait(false);
    }

    /// <summary>When the last backup of a run is finished: the run's success or failure ping, once.</summary>
    private async Task RunFinishedAsync(BackupPanelDbContext db, PlanRoute plan, Guid runId, CancellationToken ct)
    {
        var runs = await db.Backups.AsNoTracking().Where(b => b.PlanRunId == runId).Select(b => new { b.DomainName, b.Status }).ToListAsync(ct).ConfigureAwait(false);
        if (runs.Count == 0 || runs.Any(r => r.Status is BackupStatus.Queued or BackupStatus.Running) || !await Notifier.MarkAsync(db, $"run:{runId:N}", ct).ConfigureAwait(false))
        {
            return; // not over yet, or another node reported it
        }

        var failed = runs.Where(r => r.Status is not (BackupStatus.Succeeded or BackupStatus.Skipped)).ToList();
        var body = string.Join("\n", runs.Select(r => $"{r.DomainName}: {r.Status}"));
        await notifier.PingAsync(plan, runId, failed.Count == 0 ? null : "fail", $"Plan {plan.PlanName}: {runs.Count - failed.Count} of {runs.Count} ok.\n{body}", ct).ConfigureAwait(false);
    }

    internal static NotificationFacts Facts(Backup backup, PlanRoute? plan, NotificationEvents e) => new(e, $"{backup.DomainName} ({backup.Type}){(plan is null ? "" : $", plan {plan.PlanName}")}")
    {
        PlanId = plan?.PlanId, PlanName = plan?.PlanName, BackupId = backup.Id, DomainName = backup.DomainName, Type = backup.Type.ToString(),
        Status = backup.Status.ToString(), StartedAt = backup.StartedAt, FinishedAt = backup.FinishedAt, StoredBytes = backup.StoredBytes,
        Destinations = [.. backup.Copies.Select(c => c.Status == BackupCopyStatus.Stored ? c.DestinationName : $"{c.DestinationName} ({c.Status})")],
        Error = backup.Error, LinkPath = $"backups/{backup.Id}",
    };
}
