using System.Runtime.CompilerServices;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Restore;

/// <summary>
/// Runs one queued restore: optional safety backup of what is there now, then each chosen component from the
/// backup's first stored copy. Nothing of a component reaches its target before all its bytes checked out (trees
/// are staged, dumps saved and checked before the database is touched); a dry run writes nothing.
/// </summary>
public sealed class RestoreRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DomainService domains, BackupService backups, BackupRunner backupRunner,
    DestinationStorage storage, EncryptionService encryption, RunLifecycle lifecycle, TimeProvider clock, ILogger<RestoreRunner> logger,
    Security.Paths.PathGuard paths)
{
    public async Task RunAsync(Guid restoreId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var run = await db.RestoreRuns.SingleOrDefaultAsync(r => r.Id == restoreId, ct).ConfigureAwait(false);
        if (run is not { Status: RestoreStatus.Queued })
        {
            return; // already ran: a restore is never repeated behind anyone's back
        }

        // Held until the result is saved: a Running restore without its lock was abandoned by a dead process.
        var runLock = await RunLock.TryAcquireAsync(db.Database.GetConnectionString()!, RunLockScope.Restore, run.Id, ct).ConfigureAwait(false);
        if (runLock is null)
        {
            return; // the same restore is running elsewhere
        }

        try
        {
            run.Status = RestoreStatus.Running;
            run.StartedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            var log = lifecycle.NewLog();
            var staged = new StrongBox<StagedSet?>();
            var outcome = await lifecycle.WorkAsync(log, ForRestore(run.Id), run.ProgressTotal, work => RestoreAsync(db, run, work, staged), ct).ConfigureAwait(false);
            switch (outcome.Result)
            {
                case RunResult.Succeeded:
                    run.Status = RestoreStatus.Succeeded;
                    log.Add(run.DryRun ? "Dry run finished: everything checked out; nothing was written." : "Restore finished.");
                    break;
                case RunResult.Cancelled:
                    run.Status = RestoreStatus.Cancelled;
                    run.Error = staged.Value?.Committed is { Count: > 0 } done
                        ? $"Cancelled while components were put in place: {string.Join(", ", done)} restored; {string.Join(", ", staged.Value.Names.Except(done))} not restored."
                        : "Cancelled before anything was put in place: nothing was restored.";
                    log.Add(run.Error);
                    break;
                default:
                    (run.Status, run.Error) = (RestoreStatus.Failed, outcome.Error);
                    break;
            }

            await lifecycle.FinishAsync(db, run, log).ConfigureAwait(false);
            logger.LogInformation("Restore {RestoreId} of {Domain}: {Status}", run.Id, run.DomainName, run.Status);
            outcome.ThrowIfBug();
        }
        finally
        {
            await runLock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RestoreAsync(BackupPanelDbContext db, RestoreRun run, RunContext work, StrongBox<StagedSet?> committed)
    {
        var (progress, log, ct) = (work.Progress, work.Log, work.Token);
        var backup = await backups.GetAsync(run.BackupId, ct).ConfigureAwait(false) ?? throw new RunFailedException("The backup was deleted.");
        var domain = backup.DomainId is { } id ? await domains.GetAsync(id, ct).ConfigureAwait(false) : null;
        var copies = await CopyFallback.OpenAsync(db, backup, storage, encryption, log, run.FromDestinationId, ct).ConfigureAwait(false);
        await using var copiesScope = copies.ConfigureAwait(false);
        log.Add($"{(run.DryRun ? "Dry run of a restore" : "Restoring")} {string.Join(", ", run.Components)} of {backup.DomainName} ({backup.CreatedAt:yyyy-MM-dd HH:mm} UTC) from {copies.CurrentName}.");

        if (run.SafetyBackup && domain is not null)
        {
            await TakeSafetyBackupAsync(db, run, backup, domain, copies.Preferred.Id, progress, log, ct).ConfigureAwait(false);
        }

        // The catalog's record of the manifest, made when the backup was: a manifest (and so any component) replaced at
        // the destination since is refused, and the next copy is tried.
        var manifest = await copies.ReadAsync("reading the manifest", reader => reader.ReadManifestAsync(backup.ManifestSha256, ct), ct).ConfigureAwait(false);
        var chosen = manifest.Components.Where(c => run.Components.Contains(c.Name)).ToList();
        var missing = run.Components.Except(chosen.Select(c => c.Name)).ToList();
        if (missing.Count > 0)
        {
            throw new ArchiveCorruptException(missing[0], "is listed in the catalog but not in the backup's manifest.json");
        }

        // All or nothing: every chosen component is read, checked and staged (trees in their target, dumps as checked
        // files) before any is put in place; only then are the trees moved in and the databases loaded.
        var trees = chosen.Count(TreeComponents.IsTree);
        var owner = trees > 0 && domain is not null ? DomainOwner.Resolve(domain) : null;
        if (owner is var (who, source))
        {
            log.Add($"The domain's owner is {who} ({source}): what the backup records as root's is restored as theirs.");
        }

        using var staged = new StagedSet();
        var temp = Directory.CreateTempSubdirectory("backuppanel-restore-");
        try
        {
            foreach (var component in chosen)
            {
                progress.Phase(component.Name);
                if (TreeComponents.IsTree(component))
                {
                    var target = run.TargetDirectory is { } dir ? (trees == 1 ? dir : Path.Combine(dir, component.Kind))
                        : component.Kind == ArchiveLayout.FilesKind ? domain!.FilesRoot! : domain!.MailRoot!;
                    if (await paths.CheckAsync(target, Security.Paths.PathUse.Data, ct).ConfigureAwait(false) is { } refused)
                    {
                        throw new RunFailedException($"{component.Name} cannot go to {target}: {refused}"); // again at run time: the roots may have been narrowed
                    }

                    await copies.ReadAsync($"restoring {component.Name}", reader => StageTreeAsync(reader, component, target, owner?.Owner, run, staged, progress, log, ct), ct).ConfigureAwait(false);
                }
                else
                {
                    var database = RestoreService.FindDatabase(domain ?? throw new RunFailedException("The domain was removed from the panel."),
                        component.Kind, component.Database)
                        ?? throw new RunFailedException($"The domain has no {component.Kind} database {component.Database} any more.");
                    var file = Path.Combine(temp.FullName, ExtractLayout.PlainName(component));
                    await copies.ReadAsync($"restoring {component.Name}", reader => StageDatabaseAsync(reader, component, database, file, run, staged, progress, log, ct), ct).ConfigureAwait(false);
                }
            }

            if (!run.DryRun)
            {
                log.Add($"Every component checked out; putting {string.Join(", ", chosen.Select(c => c.Name))} in place.");
                committed.Value = staged;
                await staged.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (staged.Committed.Count == 0 && !run.DryRun && ex is not OperationCanceledException && ExpectedFailure.Is(ex))
        {
            throw new RunFailedException($"{ex.Message.TrimEnd('.')}. Nothing was restored: no component is put in place unless all of them check out.");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static async Task<bool> StageTreeAsync(
        ArchiveReader reader, ArchiveComponent component, string target, UnixOwner? owner, RestoreRun run, StagedSet staged, RunProgress progress, RunLog log, CancellationToken ct)
    {
        var options = new ExtractOptions { DryRun = run.DryRun, ClearTarget = run.ClearTarget, MaxListedChanges = 500, DomainOwner = owner, DropRootSpecialBits = true };
        var tree = await TreeComponents.StageAsync(reader, component, target, options, progress.Report, ct).ConfigureAwait(false);
        var result = tree.Result;
        staged.Add(component.Name, new LoggedCommit(tree, () =>
        {
            var done = tree.Result; // folders get their owner and mode when committed
            log.Add($"{component.Name} → {target}: {done.Entries:N0} entries, {done.Created:N0} created, {done.Replaced:N0} replaced.");
            if (done.OwnershipSummary(owner) is { } summary)
            {
                log.Add(summary);
            }
        }));
        foreach (var change in run.DryRun ? result.Changes : [])
        {
            log.Add("would " + change);
        }

        foreach (var warning in result.Warnings)
        {
            log.Add("Warning: " + warning);
        }

        log.Add($"{component.Name}: {result.Entries:N0} entries checked, {result.Created:N0} {(run.DryRun ? "would be created" : "to create")}, "
            + $"{result.Replaced:N0} {(run.DryRun ? "would be replaced" : "to replace")} in {target}.");
        return true;
    }

    private async Task<bool> StageDatabaseAsync(ArchiveReader reader, ArchiveComponent component, DomainDatabase database, string file,
        RestoreRun run, StagedSet staged, RunProgress progress, RunLog log, CancellationToken ct)
    {
        var targetName = run.TargetDatabase ?? database.Name + run.TargetDatabaseSuffix;
        var dump = await DumpFiles.StageAsync(reader, component, file, progress.Report, ct).ConfigureAwait(false);
        try
        {
            dump.Commit(); // to its name in the run's own temporary folder; the database is untouched until all checked out
            if (component.Kind == ArchiveLayout.PostgreSqlKind && PostgreSqlSource.IsPlainSql(file))
            {
                log.Add($"{component.Name}: checksums match; a plain SQL dump (imported), to be loaded with psql.");
            }
            else if (component.Kind == ArchiveLayout.PostgreSqlKind)
            {
                var objects = await PostgreSqlSource.ListAsync(file, ct).ConfigureAwait(false);
                log.Add($"{component.Name}: checksums match; pg_restore reads {objects:N0} objects.");
            }
            else
            {
                log.Add($"{component.Name}: checksums match.");
            }
        }
        catch
        {
            File.Delete(file);
            throw;
        }

        if (run.DryRun)
        {
            log.Add($"would replace the contents of database {targetName} on {database.Host}:{database.Port} with {component.Name} ({component.PlainSize:N0} bytes).");
            return true;
        }

        staged.Add(component.Name, null, async token =>
        {
            progress.Phase($"loading database {targetName}");
            await DatabaseRestorer.RestoreAsync(domains.ConnectionOf(database), targetName, file, token).ConfigureAwait(false);
            log.Add($"{component.Name} → database {targetName} on {database.Host}:{database.Port}: restored.");
        });
        return true;
    }

    /// <summary>A staged tree whose commit is logged.</summary>
    private sealed class LoggedCommit(StagedTree tree, Action logged) : IStaged
    {
        public void Commit()
        {
            tree.Commit();
            logged();
        }

        public void Dispose() => tree.Dispose();
    }

    private async Task TakeSafetyBackupAsync(
        BackupPanelDbContext db, RestoreRun run, Backup backup, Domain domain, Guid destinationId, RunProgress progress, RunLog log, CancellationToken ct)
    {
        progress.Phase("safety backup");
        var kinds = backup.Components.Where(c => run.Components.Contains(c.Name)).Select(c => c.Kind).Distinct().ToList();
        var type = kinds.Count > 1 ? BackupType.Full
            : kinds[0] == ArchiveLayout.FilesKind ? BackupType.Files : kinds[0] == ArchiveLayout.MailKind ? BackupType.Email : BackupType.Database;
        var safetyId = await backups.CreateQueuedAsync(domain.Id, type, destinationId, $"safety backup before restore by {run.RequestedBy}", ct).ConfigureAwait(false);
        run.SafetyBackupId = safetyId;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        log.Add($"Taking a {type} safety backup of {domain.Name} first…");
        await backupRunner.RunAsync(safetyId, ct).ConfigureAwait(false);
        var safety = await backups.GetAsync(safetyId, ct).ConfigureAwait(false);
        if (safety?.Status != BackupStatus.Succeeded)
        {
            throw new RunFailedException($"The safety backup did not succeed ({safety?.Error ?? "unknown"}); nothing was restored. "
                + "Fix that, or restore without a safety backup.");
        }

        log.Add($"Safety backup {safetyId} succeeded.");
    }

    private static ProgressFlush ForRestore(Guid restoreId) => async (db, phase, done, total, _, ct) =>
    {
        await db.RestoreRuns.Where(r => r.Id == restoreId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Phase, phase).SetProperty(r => r.ProgressBytes, done).SetProperty(r => r.ProgressTotal, total), ct).ConfigureAwait(false);
        return false;
    };
}
