using System.Security.Cryptography;
using BackupPanel.Core.Backups.Archiving;
using BackupPanel.Core.Backups.Sources;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Runs one queued backup: lock the domain, clean what earlier crashed runs left, write every component to the
/// destination (each read back before it counts), commit the manifest, record the result. A failed or cancelled
/// run removes its partial folder and never looks complete.
/// </summary>
public sealed class BackupRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DomainService domains, EncryptionService encryption, TimeProvider clock, ILogger<BackupRunner> logger)
{
    private static readonly string Tool = $"BackupPanel {typeof(BackupRunner).Assembly.GetName().Version?.ToString(3)}";

    public async Task RunAsync(Guid backupId, CancellationToken ct)
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
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var storage = (IStorageBackend?)null;
        DomainLock? domainLock = null; // held until the result is saved: a Running backup without its lock is abandoned
        try
        {
            var (domain, destination) = await LoadAsync(db, backup, ct);
            storage = DestinationService.Open(destination);
            domainLock = await DomainLock.TryAcquireAsync(db.Database.GetConnectionString()!, domain.Id, ct)
                ?? throw new BackupSourceException($"Another backup of {domain.Name} is running; one at a time per domain.");
            backup.Status = BackupStatus.Running;
            backup.StartedAt = clock.GetUtcNow();
            backup.FolderKey = ArchiveLayout.FolderKey(domain.Name, backup.StartedAt.Value, backup.Id);
            await db.SaveChangesAsync(ct);
            log.Add($"Backing up {domain.Name} ({backup.Type}) to {destination.Name}.");
            await LeftoverCleaner.RemoveIncompleteAsync(storage, domain.Name + "/", log, cancel.Token);

            await using (var progress = new RunProgress(dbFactory, RunProgress.ForBackup(backup.Id), clock, cancel))
            {
                await WriteAsync(backup, domain, storage, progress, log, cancel.Token);
            }

            var copy = backup.Copies[0];
            copy.Status = BackupCopyStatus.Stored;
            copy.StoredAt = clock.GetUtcNow();
            backup.Status = BackupStatus.Succeeded;
            log.Add(backup.WarningCount > 0 ? $"Succeeded with {backup.WarningCount} warning(s)." : "Succeeded.");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            FailCopies(backup, "cancelled");
            backup.Status = BackupStatus.Cancelled;
            backup.Error = "Cancelled before it finished; nothing of it was kept.";
            log.Add(backup.Error);
            await RemovePartialAsync(storage, backup, log);
        }
        catch (Exception ex) when (ex is BackupSourceException or StorageException or ArchiveCorruptException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            backup.Status = BackupStatus.Failed;
            backup.Error = RunLog.Clip(ex.Message, 4000);
            FailCopies(backup, backup.Error);
            log.Add("Failed: " + backup.Error);
            await RemovePartialAsync(storage, backup, log);
        }
        catch (Exception ex)
        {
            // A bug, not a user's problem: still never leave the backup looking alive; the job shows the stack trace.
            backup.Status = BackupStatus.Failed;
            backup.Error = "Unexpected error: " + RunLog.Clip(ex.Message, 3000);
            FailCopies(backup, backup.Error);
            log.Add(backup.Error);
            await RemovePartialAsync(storage, backup, log);
            throw;
        }
        finally
        {
            backup.FinishedAt = clock.GetUtcNow();
            backup.Phase = null;
            db.Entry(backup).Property(b => b.Phase).IsModified = true; // progress was written around the tracker
            backup.Log = log.ToString();
            await db.SaveChangesAsync(CancellationToken.None);
            if (domainLock is not null) await domainLock.DisposeAsync();
            logger.LogInformation("Backup {BackupId} of {Domain}: {Status}", backup.Id, backup.DomainName, backup.Status);
        }
    }

    private async Task<(Domain Domain, Destination Destination)> LoadAsync(BackupPanelDbContext db, Backup backup, CancellationToken ct)
    {
        var domain = backup.DomainId is { } id ? await domains.GetAsync(id, ct) : null;
        var copy = backup.Copies.FirstOrDefault(c => c.Status == BackupCopyStatus.Pending);
        var destination = copy is null ? null : await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == copy.DestinationId, ct);
        return (domain ?? throw new BackupSourceException($"The domain {backup.DomainName} was removed from the panel."),
            destination ?? throw new BackupSourceException($"The destination {copy?.DestinationName} was removed from the panel."));
    }

    private async Task WriteAsync(Backup backup, Domain domain, IStorageBackend storage, RunProgress progress, RunLog log, CancellationToken ct)
    {
        var warnings = new List<string>();
        var plan = BackupSources.Plan(domain, backup.Type, domains, warnings);
        if (plan.Count == 0)
        {
            throw new BackupSourceException($"A {backup.Type} backup of {domain.Name} has nothing to back up: the domain has no {Describe(backup.Type)}.");
        }

        progress.Total = BackupSources.EstimateTotal(domain, backup.Type);
        var recipients = await encryption.RecipientsAsync(ct);
        backup.Encrypted = recipients.Count > 0;
        var writer = new ArchiveWriter(storage, backup.FolderKey!, new ArchiveWriteOptions { Recipients = recipients });
        var components = new List<ArchiveComponent>();
        foreach (var item in plan)
        {
            progress.Phase(item.Phase);
            log.Add($"Writing {item.Phase}…");
            var component = await writer.WriteComponentAsync(item.Kind, item.Database, item.Produce, progress.Report, ct);
            components.Add(component);
            log.Add($"{component.Name}: {component.PlainSize:N0} bytes → {component.StoredSize:N0} stored, read back and checked.");
        }

        progress.Phase("committing");
        var manifest = new ArchiveManifest
        {
            BackupId = backup.Id, Domain = domain.Name, Type = backup.Type.ToString(), StartedAt = backup.StartedAt!.Value,
            FinishedAt = clock.GetUtcNow(), Tool = Tool, Components = components,
        };
        await writer.CommitAsync(manifest, ct);
        backup.ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(manifest.ToJson()));
        backup.Components.AddRange(components.Select((c, i) => new BackupComponent
        {
            Id = Guid.NewGuid(), Position = i, Name = c.Name, Kind = c.Kind, Database = c.Database, StoredSize = c.StoredSize, StoredSha256 = c.StoredSha256,
            PlainSize = c.PlainSize, PlainSha256 = c.PlainSha256, Entries = c.Entries,
        }));
        backup.StoredBytes = components.Sum(c => c.StoredSize);
        backup.PlainBytes = components.Sum(c => c.PlainSize);
        backup.WarningCount = warnings.Count;
        foreach (var warning in warnings)
        {
            log.Add("Warning: " + warning);
        }
    }

    private static async Task RemovePartialAsync(IStorageBackend? storage, Backup backup, RunLog log)
    {
        if (storage is null || backup.FolderKey is null)
        {
            return;
        }

        try
        {
            await foreach (var item in storage.ListAsync(backup.FolderKey, CancellationToken.None))
            {
                await storage.DeleteAsync(item.Key, CancellationToken.None);
            }
        }
        catch (StorageException ex)
        {
            // The folder has no manifest, so it never counts; the next run of this domain removes it.
            log.Add($"Could not remove the partial folder yet ({ex.Message}); the next run will.");
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
