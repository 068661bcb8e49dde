using System.Security.Cryptography;
using BackupPanel.Core.Backups.Archiving;
using BackupPanel.Core.Backups.Sources;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Runs one queued backup: lock the domain, clean what earlier crashed runs left, write every component and copy it to
/// every chosen destination (each copy read back before it counts, see <see cref="CopyTargets"/>), commit the
/// manifest, record the result: Succeeded, PartiallySucceeded (which copies failed and why) or Failed. A failed or
/// cancelled run removes its partial folders and never looks complete.
/// </summary>
public sealed class BackupRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DomainService domains, DestinationStorage storage, EncryptionService encryption,
    IBackgroundJobClient jobs, TimeProvider clock, ILogger<BackupRunner> logger)
{
    /// <summary>What a plan asks of its backups; a backup no plan made gets the defaults.</summary>
    private sealed record RunOptions(int CompressionLevel = 3, bool Encrypt = true, bool VerifyAfter = false);

    private static readonly string Tool = $"BackupPanel {typeof(BackupRunner).Assembly.GetName().Version?.ToString(3)}";

    public Task RunAsync(Guid backupId, CancellationToken ct) => RunAsync(backupId, null, ct);

    /// <summary>
    /// Runs the backup with components from <paramref name="sources"/> (given the domain and the warnings list) instead
    /// of the domain's roots and databases: an import stores an archive's content this way, with every guarantee of a
    /// backup (read-back copies, manifest last, nothing left behind on failure).
    /// </summary>
    internal async Task RunAsync(Guid backupId, Func<Domain, List<string>, List<PlannedComponent>>? sources, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var backup = await db.Backups.Include(b => b.Components).Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == backupId, ct);
        if (backup is not { Status: BackupStatus.Queued })
        {
            return; // already ran, or removed: running twice must not make a second backup
        }

        if (backup.CancelRequested)
        {
            backup.Status = BackupStatus.Cancelled;
            backup.Error = "Cancelled before it started.";
            backup.FinishedAt = clock.GetUtcNow();
            FailCopies(backup, "cancelled");
            await db.SaveChangesAsync(ct);
            return;
        }

        var log = new RunLog(clock);
        var options = backup.PlanId is { } planId
            ? await db.Plans.AsNoTracking().Where(p => p.Id == planId).Select(p => new RunOptions(p.CompressionLevel, p.Encrypt, p.VerifyAfterBackup)).SingleOrDefaultAsync(ct) ?? new()
            : new RunOptions();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        CopyTargets? targets = null;
        DomainLock? domainLock = null; // held until the result is saved: a Running backup without its lock is abandoned
        try
        {
            var (domain, chosen) = await LoadAsync(db, backup, log, ct);
            domainLock = await DomainLock.TryAcquireAsync(db.Database.GetConnectionString()!, domain.Id, ct)
                ?? throw new BackupSourceException($"Another backup of {domain.Name} is running; one at a time per domain.");
            backup.Status = BackupStatus.Running;
            backup.StartedAt = clock.GetUtcNow();
            backup.FolderKey = ArchiveLayout.FolderKey(domain.Name, backup.StartedAt.Value, backup.Id);
            await db.SaveChangesAsync(ct);
            targets = CopyTargets.Open(chosen, storage, Path.Combine(storage.SpoolDirectory, backup.Id.ToString("N")), log);
            log.Add($"Backing up {domain.Name} ({backup.Type}) to {string.Join(", ", chosen.Select(c => c.Destination.Name))}.");
            if (targets.SpoolDirectory is { } spool)
            {
                SpoolSpace.Require(spool, domain, backup.Type);
            }

            await targets.CleanLeftoversAsync(domain.Name + "/", cancel.Token);
            await using (var progress = new RunProgress(dbFactory, RunProgress.ForBackup(backup.Id), clock, cancel))
            {
                await WriteAsync(backup, domain, targets, progress, log, options, sources, cancel.Token);
            }

            backup.Status = targets.Finish(clock.GetUtcNow());
            backup.Error = targets.FailedCopies() is { } failed ? RunLog.Clip(failed, 4000) : null;
            log.Add(backup.Status == BackupStatus.PartiallySucceeded ? "Partially succeeded: " + backup.Error
                : backup.WarningCount > 0 ? $"Succeeded with {backup.WarningCount} warning(s)." : "Succeeded.");
            if (options.VerifyAfter)
            {
                log.Add("Verification queued: the plan verifies every backup it makes.");
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            FailCopies(backup, "cancelled");
            backup.Status = BackupStatus.Cancelled;
            backup.Error = "Cancelled before it finished; nothing of it was kept.";
            log.Add(backup.Error);
            await RemovePartialAsync(targets, backup);
        }
        catch (Exception ex) when (ex is BackupSourceException or StorageException or ArchiveCorruptException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            backup.Status = BackupStatus.Failed;
            backup.Error = RunLog.Clip(ex.Message, 4000);
            FailCopies(backup, ex is StorageException ? backup.Error : BackupCopy.NotWritten(backup.Error)); // only a storage error is the destination's
            log.Add("Failed: " + backup.Error);
            await RemovePartialAsync(targets, backup);
        }
        catch (Exception ex)
        {
            // A bug, not a user's problem: still never leave the backup looking alive; the job shows the stack trace.
            backup.Status = BackupStatus.Failed;
            backup.Error = "Unexpected error: " + RunLog.Clip(ex.Message, 3000);
            FailCopies(backup, BackupCopy.NotWritten(backup.Error));
            log.Add(backup.Error);
            await RemovePartialAsync(targets, backup);
            throw;
        }
        finally
        {
            backup.FinishedAt = clock.GetUtcNow();
            backup.Phase = null;
            db.Entry(backup).Property(b => b.Phase).IsModified = true; // progress was written around the tracker
            backup.Log = log.ToString();
            await db.SaveChangesAsync(CancellationToken.None);
            if (targets is not null) await targets.DisposeAsync();
            if (domainLock is not null) await domainLock.DisposeAsync();
            if (backup.Status is BackupStatus.Succeeded or BackupStatus.PartiallySucceeded)
            {
                // After the result is saved: the verification the plan asks for, then the plan's retention.
                if (options.VerifyAfter) jobs.Enqueue<VerifyBackupJob>(job => job.RunAsync(backup.Id, CancellationToken.None));
                if (backup.PlanId is { } plan) jobs.Enqueue<Retention.ApplyRetentionJob>(job => job.RunAsync(plan, CancellationToken.None));
            }

            logger.LogInformation("Backup {BackupId} of {Domain}: {Status}", backup.Id, backup.DomainName, backup.Status);
        }
    }

    private async Task<(Domain Domain, List<(BackupCopy Copy, Destination Destination)> Chosen)> LoadAsync(
        BackupPanelDbContext db, Backup backup, RunLog log, CancellationToken ct)
    {
        var domain = (backup.DomainId is { } id ? await domains.GetAsync(id, ct) : null)
            ?? throw new BackupSourceException($"The domain {backup.DomainName} was removed from the panel.");
        var chosen = new List<(BackupCopy, Destination)>();
        foreach (var copy in backup.Copies.Where(c => c.Status == BackupCopyStatus.Pending).OrderBy(c => c.DestinationName, StringComparer.Ordinal))
        {
            var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == copy.DestinationId, ct);
            if (destination is null)
            {
                copy.Status = BackupCopyStatus.Failed;
                copy.Error = $"The destination {copy.DestinationName} was removed from the panel.";
                log.Add(copy.Error);
                continue;
            }

            chosen.Add((copy, destination));
        }

        return (domain, chosen.Count > 0 ? chosen : throw new BackupSourceException(
            backup.Copies.Count == 0 ? "The backup has no destination." : $"The destination {backup.Copies[0].DestinationName} was removed from the panel."));
    }

    private async Task WriteAsync(Backup backup, Domain domain, CopyTargets targets, RunProgress progress, RunLog log, RunOptions options,
        Func<Domain, List<string>, List<PlannedComponent>>? sources, CancellationToken ct)
    {
        var warnings = new List<string>();
        var plan = sources?.Invoke(domain, warnings) ?? BackupSources.Plan(domain, backup.Type, domains, warnings);
        if (plan.Count == 0)
        {
            throw new BackupSourceException($"A {backup.Type} backup of {domain.Name} has nothing to back up: the domain has no {Describe(backup.Type)}.");
        }

        progress.Total = sources is null ? BackupSources.EstimateTotal(domain, backup.Type) : null;
        IReadOnlyList<Archiving.Age.AgeRecipient> recipients = options.Encrypt ? await encryption.RecipientsAsync(ct) : [];
        backup.Encrypted = recipients.Count > 0;
        if (!options.Encrypt)
        {
            log.Add("Not encrypted: the plan turns encryption off.");
        }

        var writer = new ArchiveWriter(targets.Primary, backup.FolderKey!, new ArchiveWriteOptions { Recipients = recipients, CompressionLevel = options.CompressionLevel });
        var components = new List<ArchiveComponent>();
        foreach (var item in plan)
        {
            progress.Phase(item.Phase);
            log.Add($"Writing {item.Phase}…");
            var component = await writer.WriteComponentAsync(item.Kind, item.Database, item.Produce, progress.Report, ct);
            components.Add(component);
            log.Add($"{component.Name}: {component.PlainSize:N0} bytes → {component.StoredSize:N0} stored, read back and checked.");
            await targets.ReplicateAsync(backup.FolderKey + component.Name, component, progress, ct);
        }

        progress.Phase("committing");
        var manifest = new ArchiveManifest
        {
            BackupId = backup.Id, Domain = domain.Name, Type = backup.Type.ToString(), StartedAt = backup.StartedAt!.Value,
            FinishedAt = clock.GetUtcNow(), Tool = Tool, Components = components,
        };
        var json = manifest.ToJson();
        await targets.CommitAsync(backup.FolderKey + ArchiveManifest.FileName, json, ct);
        backup.ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(json));
        backup.Components.AddRange(components.Select(BackupComponent.From));
        backup.StoredBytes = components.Sum(c => c.StoredSize);
        backup.PlainBytes = components.Sum(c => c.PlainSize);
        backup.WarningCount = warnings.Count;
        foreach (var warning in warnings)
        {
            log.Add("Warning: " + warning);
        }
    }

    private static async Task RemovePartialAsync(CopyTargets? targets, Backup backup)
    {
        if (targets is not null && backup.FolderKey is not null)
        {
            await targets.RemoveAllAsync(backup.FolderKey);
        }
    }

    private static void FailCopies(Backup backup, string reason)
    {
        foreach (var copy in backup.Copies.Where(c => c.Status == BackupCopyStatus.Pending))
        {
            copy.Status = BackupCopyStatus.Failed;
            copy.Error = reason;
        }
    }

    private static string Describe(BackupType type) => type switch
    {
        BackupType.Files => "files root",
        BackupType.Database => "databases",
        BackupType.Email => "mail root",
        _ => "files root, databases or mail root",
    };
}
