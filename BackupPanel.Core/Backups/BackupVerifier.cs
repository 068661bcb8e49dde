using BackupPanel.Core.Archive;
using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Proves a backup restorable without restoring it: reads every stored copy back, checks the manifest against the
/// catalog, every component's stored and plain SHA-256, decrypts and decompresses, walks every tar entry, and has
/// pg_restore read PostgreSQL dumps. Records when and what was proven (or what is wrong).
/// </summary>
public sealed class BackupVerifier(IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, EncryptionService encryption, TimeProvider clock)
{
    public async Task VerifyAsync(Guid backupId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
        if (backup is null || backup.Status is not (BackupStatus.Succeeded or BackupStatus.PartiallySucceeded) || backup.FolderKey is null)
        {
            return; // removed, or nothing that could be verified
        }

        var log = new RunLog(clock);
        bool ok;
        string message;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new RunProgress(dbFactory, BackupProgress.Flush(backup.Id), clock, cancel);
        await using (progress.ConfigureAwait(false))
        {
            progress.Total = backup.StoredBytes * backup.Copies.Count(c => c.Status == BackupCopyStatus.Stored);
            try
            {
                message = await VerifyCopiesAsync(db, backup, progress, log, cancel.Token).ConfigureAwait(false);
                ok = true;
            }
            catch (Exception ex) when (ExpectedFailure.Is(ex))
            {
                message = ex.Message;
                ok = false;
            }
        }

        log.Add((ok ? "Verified: " : "Verify failed: ") + message);
        backup.VerifiedAt = clock.GetUtcNow();
        backup.VerifySucceeded = ok;
        backup.VerifyMessage = RunLog.Clip(message, 2000);
        backup.Phase = null;
        db.Entry(backup).Property(b => b.Phase).IsModified = true; // progress was written around the tracker
        backup.Log += log.ToString();
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<string> VerifyCopiesAsync(BackupPanelDbContext db, Backup backup, RunProgress progress, RunLog log, CancellationToken ct)
    {
        var copies = backup.Copies.Where(c => c.Status == BackupCopyStatus.Stored).ToList();
        if (copies.Count == 0)
        {
            throw new RunFailedException("No stored copy is left to verify.");
        }

        var identities = await encryption.DecryptionIdentitiesAsync(ct).ConfigureAwait(false);
        var proven = new List<string>();
        foreach (var copy in copies)
        {
            var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == copy.DestinationId, ct).ConfigureAwait(false)
                ?? throw new RunFailedException($"The destination {copy.DestinationName} was removed from the panel.");
            var backend = storage.Open(destination, log.Add);
            await using var backendScope = backend.ConfigureAwait(false);
            var reader = new ArchiveReader(backend, backup.FolderKey!, identities);
            try
            {
                var manifest = await reader.ReadManifestAsync(backup.ManifestSha256, ct).ConfigureAwait(false);
                foreach (var component in manifest.Components)
                {
                    progress.Phase($"verifying {component.Name} at {copy.DestinationName}");
                    proven.Add(await VerifyComponentAsync(reader, component, progress, ct).ConfigureAwait(false));
                    log.Add($"{copy.DestinationName}: {proven[^1]}");
                }
            }
            catch (Exception ex) when (ExpectedFailure.IsBadCopy(ex))
            {
                throw new RunFailedException($"The copy at {copy.DestinationName} failed: {ex.Message}");
            }
        }

        return $"{copies.Count} cop{(copies.Count == 1 ? "y" : "ies")} read back in full: {string.Join("; ", proven.Distinct())}.";
    }

    private static async Task<string> VerifyComponentAsync(ArchiveReader reader, ArchiveComponent component, RunProgress progress, CancellationToken ct)
    {
        if (TreeComponents.IsTree(component))
        {
            var result = await TreeComponents.VerifyAsync(reader, component, progress.Report, ct).ConfigureAwait(false);
            return $"{component.Name}: {result.Entries:N0} entries, checksums match";
        }

        if (component.Kind != ArchiveLayout.PostgreSqlKind)
        {
            await DumpFiles.SaveAsync(reader, component, null, progress.Report, ct).ConfigureAwait(false);
            return $"{component.Name}: checksums match";
        }

        var dir = Directory.CreateTempSubdirectory("backuppanel-verify-");
        try
        {
            var file = Path.Combine(dir.FullName, "dump");
            await DumpFiles.SaveAsync(reader, component, file, progress.Report, ct).ConfigureAwait(false);
            if (PostgreSqlSource.IsPlainSql(file))
            {
                return $"{component.Name}: checksums match (a plain SQL dump, imported)";
            }

            var objects = await PostgreSqlSource.ListAsync(file, ct).ConfigureAwait(false);
            return $"{component.Name}: checksums match, pg_restore reads {objects:N0} objects";
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
