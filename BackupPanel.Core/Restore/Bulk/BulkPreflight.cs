using System.Collections.Concurrent;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// Checks every item of a batch before anything is written: the backup can be restored as chosen, each database
/// server answers and has a matching restore tool, which targets exist and are not empty, and whether each target's
/// file system has room for what goes there (counted over the whole batch). Writes the report on each item and marks
/// the batch Ready for the person to confirm.
/// </summary>
public sealed class BulkPreflight(IDbContextFactory<BackupPanelDbContext> dbFactory, DomainService domains, TimeProvider clock)
{
    private const string ErrorPrefix = "error: ";

    public async Task RunAsync(Guid batchId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var batch = await db.RestoreBatches.Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == batchId, ct).ConfigureAwait(false);
        if (batch is not { Status: RestoreBatchStatus.Checking })
        {
            return; // checked already, or discarded
        }

        var pending = batch.Items.Where(i => i.Status == RestoreItemStatus.Pending).OrderBy(i => i.Position).ToList();
        var backupIds = pending.Select(i => i.BackupId).ToList();
        var backups = await db.Backups.AsNoTracking().Include(b => b.Components).Include(b => b.Copies).AsSplitQuery()
            .Where(b => backupIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, ct).ConfigureAwait(false);
        var domainIds = backups.Values.Select(b => b.DomainId).OfType<Guid>().Distinct().ToList();
        var byId = await db.Domains.AsNoTracking().Include(d => d.Databases).Where(d => domainIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct).ConfigureAwait(false);

        var findings = new ConcurrentDictionary<Guid, ItemCheck>();
        Exception? failure = null;
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (item, token) =>
            {
                var backup = backups.GetValueOrDefault(item.BackupId);
                var domain = backup?.DomainId is { } id ? byId.GetValueOrDefault(id) : null;
                findings[item.Id] = await CheckItemAsync(batch, item, backup, domain, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            SpaceCheck.Apply(pending.Select(i => findings[i.Id]).ToList(), batch.DryRun);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A batch must never stay "Checking": every item gets the failure as its error (and is skipped if started).
            failure = ex;
            foreach (var item in pending)
            {
                findings[item.Id] = new ItemCheck().Add(PreflightLevel.Error, "The preflight itself failed: " + RunLog.Clip(ex.Message, 1000));
            }
        }

        foreach (var item in pending)
        {
            var check = findings[item.Id];
            item.Preflight = check.Findings.Count == 0 ? PreflightLevel.Ok : check.Findings.Max(f => f.Level);
            item.PreflightReport = RunLog.Clip(string.Join("\n", check.Findings.Select(f => $"{f.Level.ToString().ToLowerInvariant()}: {f.Text}")), 8000);
        }

        batch.Status = RestoreBatchStatus.Ready;
        batch.PreflightAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure); // recorded on the items; the job shows the stack trace
        }
    }

    /// <summary>The error lines of a report, without their prefix.</summary>
    public static IEnumerable<string> Errors(string report) =>
        (report ?? "").Split('\n').Where(l => l.StartsWith(ErrorPrefix, StringComparison.Ordinal)).Select(l => l[ErrorPrefix.Length..]);

    private async Task<ItemCheck> CheckItemAsync(RestoreBatch batch, RestoreBatchItem item, Backup? backup, Domain? domain, CancellationToken ct)
    {
        var check = new ItemCheck();
        if (backup is null)
        {
            return check.Add(PreflightLevel.Error, "The backup was deleted since the batch was planned.");
        }

        var chosen = BulkChoice.Components(batch, backup.Components);
        if (chosen.Count == 0)
        {
            return check.Add(PreflightLevel.Error, $"This {backup.Type} backup has none of what was chosen ({string.Join(", ", backup.Components.Select(c => c.Kind).Distinct())} only).");
        }

        var request = BulkChoice.Request(batch, item, chosen);
        foreach (var problem in RestoreService.Validate(request, backup, domain).Values)
        {
            check.Add(PreflightLevel.Error, problem);
        }

        check.Add(PreflightLevel.Ok, $"{chosen.Count} component(s) of the backup of {backup.CreatedAt:yyyy-MM-dd HH:mm} UTC: {string.Join(", ", chosen.Select(c => c.Name))}.");
        foreach (var tree in chosen.Where(TreeComponentsOf))
        {
            CheckTree(batch, item, tree, domain, check);
        }

        foreach (var dump in chosen.Where(c => !TreeComponentsOf(c)))
        {
            if (domain is not null && RestoreService.FindDatabase(domain, dump.Kind, dump.Database) is { } database)
            {
                var target = database.Name + batch.DatabaseSuffix;
                foreach (var finding in await DatabasePreflight.CheckAsync(domains.ConnectionOf(database), target, batch.SafetyBackup && batch.DatabaseSuffix is null, ct).ConfigureAwait(false))
                {
                    check.Add(finding.Level switch { FindingLevel.Ok => PreflightLevel.Ok, FindingLevel.Warning => PreflightLevel.Warning, _ => PreflightLevel.Error }, finding.Text);
                }
            }
        }

        return check;
    }

    private static void CheckTree(RestoreBatch batch, RestoreBatchItem item, BackupComponent tree, Domain? domain, ItemCheck check)
    {
        if (BulkChoice.TreeTarget(item, tree.Kind, domain) is not { } target)
        {
            return; // no place to restore to: the validation above said so
        }

        int entries;
        try
        {
            using var folder = DirectoryHandle.OpenReal(target);
            entries = folder.List().Count;
        }
        catch (DirectoryNotFoundException)
        {
            entries = 0;
        }
        catch (SymbolicLinkRefusedException ex)
        {
            check.Add(PreflightLevel.Error, $"{tree.Kind} → {ex.Message}");
            return;
        }

        var replaced = item.TargetDirectory is null && batch.SafetyBackup ? " (a safety backup of it is taken first)" : "";
        check.Add(entries == 0 ? PreflightLevel.Ok : PreflightLevel.Warning, entries == 0
            ? $"{tree.Kind} → {target}: {(Directory.Exists(target) ? "empty" : "will be created")}."
            : $"{tree.Kind} → {target} is not empty ({(entries > 1000 ? "over 1,000" : entries.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} entries at the top): "
                + $"files the backup has replace theirs, others stay{replaced}.");
        check.Needs.Add(new SpaceNeed(target, tree.PlainSize, tree.Kind));
    }

    private static bool TreeComponentsOf(BackupComponent component) => component.Kind is ArchiveLayout.FilesKind or ArchiveLayout.MailKind;
}
