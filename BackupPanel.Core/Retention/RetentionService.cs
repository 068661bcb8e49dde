using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Retention;

/// <summary>One stored copy as retention sees it: kept or to be deleted, and why.</summary>
public sealed record RetentionRow(Guid BackupId, string DomainName, DateTimeOffset CreatedAt, Guid DestinationId, string DestinationName, bool Keep, IReadOnlyList<string> Reasons);

/// <summary>What a retention run deleted, and what it could not.</summary>
public sealed record RetentionReport(int CopiesDeleted, int BackupsRemoved, IReadOnlyList<string> Problems)
{
    /// <summary>Each deleted copy in words: domain, type, date, destination and why.</summary>
    public IReadOnlyList<string> Deleted { get; init; } = [];
}

/// <summary>
/// Applies a plan's retention to the backups that plan made (never to backups made by hand or by another plan): the
/// preview and the deletion are the same <see cref="RetentionPlanner"/> call, so what the preview says is what happens.
/// A copy is deleted manifest first (a half-deleted folder never looks complete); a backup whose last copy went is
/// removed from the catalog. Every deletion is audited.
/// </summary>
public sealed class RetentionService(IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, AuditService audit, TimeProvider clock)
{
    private static readonly AuditActor Retention = new(null, "retention", null);

    /// <summary>Every stored copy of the plan's backups with its verdict, newest first per domain and destination.</summary>
    public async Task<IReadOnlyList<RetentionRow>> PreviewAsync(Guid planId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var plan = await db.Plans.AsNoTracking().Include(p => p.Destinations).SingleOrDefaultAsync(p => p.Id == planId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("This plan does not exist (any more).");
        var runs = await db.Backups.AsNoTracking().Include(b => b.Copies).Where(b => b.PlanId == planId)
            .OrderByDescending(b => b.CreatedAt).ToListAsync(ct).ConfigureAwait(false);
        var overrides = plan.Destinations.Where(d => d.OverridesRetention).ToDictionary(d => d.DestinationId, d => d.Retention);
        var zone = plan.Schedule.Zone();
        var now = clock.GetUtcNow();

        var rows = new List<RetentionRow>();
        foreach (var domainRuns in runs.GroupBy(b => b.DomainId))
        {
            var hold = RetentionPlanner.HoldReason(domainRuns.Select(b => b.Status), plan.HoldAfterFailedRuns);
            var restorable = domainRuns.Where(b => b.Status is BackupStatus.Succeeded or BackupStatus.PartiallySucceeded).ToDictionary(b => b.Id);
            var copies = restorable.Values.SelectMany(b => b.Copies.Where(c => c.Status == BackupCopyStatus.Stored && c.DestinationId is not null)
                .Select(c => (c.DestinationId!.Value, new RetentionItem(b.Id, b.StartedAt ?? b.CreatedAt, b.Pinned))));
            var names = restorable.Values.SelectMany(b => b.Copies).Where(c => c.DestinationId is not null)
                .GroupBy(c => c.DestinationId!.Value).ToDictionary(g => g.Key, g => g.First().DestinationName);
            rows.AddRange(RetentionPlanner.PlanCopies(copies, plan.Retention, overrides, zone, now, hold).Select(v =>
            {
                var backup = restorable[v.Verdict.Id];
                return new RetentionRow(backup.Id, backup.DomainName, backup.CreatedAt, v.DestinationId, names[v.DestinationId], v.Verdict.Keep, v.Verdict.Reasons);
            }));
        }

        return rows;
    }

    /// <summary>
    /// Deletes what the preview says goes; a copy that cannot be reached stays and is reported. Each copy is claimed
    /// first (Stored → Deleted in one statement), so two runs at once (nightly and after a backup) never both act on it.
    /// </summary>
    public async Task<RetentionReport> ApplyAsync(Guid planId, CancellationToken ct)
    {
        var doomed = (await PreviewAsync(planId, ct).ConfigureAwait(false)).Where(r => !r.Keep).ToList();
        var problems = new List<string>();
        var deleted = new List<string>();
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        foreach (var row in doomed)
        {
            var reason = RunLog.Clip("Deleted by retention: " + string.Join("; ", row.Reasons), 4000);
            // Read before claiming: once this run owns the copy, another run may remove the emptied backup's row at any
            // moment, and the folder must still be deleted (and counted) by the run that claimed it.
            var backup = await db.Backups.AsNoTracking().SingleOrDefaultAsync(b => b.Id == row.BackupId, ct).ConfigureAwait(false);
            var claimed = backup is null ? 0 : await db.Set<BackupCopy>()
                .Where(c => c.BackupId == row.BackupId && c.DestinationId == row.DestinationId && c.Status == BackupCopyStatus.Stored)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, BackupCopyStatus.Deleted).SetProperty(c => c.Error, reason), ct).ConfigureAwait(false);
            if (backup is null || claimed == 0)
            {
                continue; // another run, or a user, got there first
            }

            var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == row.DestinationId, ct).ConfigureAwait(false);
            try
            {
                if (destination is not null && backup.FolderKey is not null)
                {
                    await DeleteFolderAsync(destination, backup.FolderKey, ct).ConfigureAwait(false);
                }
            }
            catch (StorageException ex)
            {
                await db.Set<BackupCopy>().Where(c => c.BackupId == row.BackupId && c.DestinationId == row.DestinationId)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, BackupCopyStatus.Stored).SetProperty(c => c.Error, (string?)null), CancellationToken.None).ConfigureAwait(false);
                problems.Add($"{row.DomainName} {row.CreatedAt:yyyy-MM-dd HH:mm} at {row.DestinationName}: {ex.Message}");
                continue;
            }

            var what = $"{row.DomainName} {backup.Type} of {row.CreatedAt:yyyy-MM-dd HH:mm} UTC at {row.DestinationName}: {string.Join("; ", row.Reasons)}";
            deleted.Add(what);
            await audit.WriteAsync(Retention, AuditActions.RetentionDeleted, AuditOutcome.Success, "backup", backup.Id.ToString(), what, ct).ConfigureAwait(false);
        }

        var emptied = doomed.Select(r => r.BackupId).Distinct().ToList();
        var removed = await db.Backups.Where(b => emptied.Contains(b.Id) && !b.Copies.Any(c => c.Status == BackupCopyStatus.Stored)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        return new RetentionReport(deleted.Count, removed, problems) { Deleted = deleted };
    }

    private async Task DeleteFolderAsync(Destination destination, string folderKey, CancellationToken ct)
    {
        var backend = storage.Open(destination);
        await using var backendScope = backend.ConfigureAwait(false);
        await BackupFolder.DeleteAsync(backend, folderKey, ct).ConfigureAwait(false);
    }
}
