using BackupPanel.Core.Archive;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>What an import of existing backups found at a destination.</summary>
/// <param name="Found">Backup folders with a manifest.</param>
/// <param name="Added">Backups the catalog did not know, now listed (with their domains, created by name if missing).</param>
/// <param name="CopiesAdded">Backups the catalog knew, now also listed as stored at this destination.</param>
/// <param name="Skipped">Backups the catalog already lists at this destination.</param>
/// <param name="Damaged">One line per folder that could not be taken: why.</param>
public sealed record CatalogImportResult(int Found, int Added, int CopiesAdded, int Skipped, IReadOnlyList<string> Damaged)
{
    public override string ToString() =>
        $"Found {Found} backup(s): {Added} added, {CopiesAdded} more cop{(CopiesAdded == 1 ? "y" : "ies")} of known backups, {Skipped} already listed, {Damaged.Count} damaged.";
}

/// <summary>
/// Rebuilds the catalog from a destination alone (disaster recovery on a fresh panel): every manifest found there is
/// read, its components checked for presence and size, and the backups the catalog lacks are added as restorable
/// copies at this destination. Nothing at the destination is changed. Audited.
/// </summary>
public sealed class CatalogImport(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, Encryption.EncryptionService encryption, AuditService audit, TimeProvider clock)
{
    private const int MaxDamagedListed = 200;

    /// <summary>
    /// Lists the backups found at the destination. Each manifest must be signed by one of this panel's keys (import the
    /// recovery kit first on a fresh panel); with <paramref name="trustUnsigned"/> an Admin also takes unsigned ones
    /// (made before manifests were signed) — a wrong signature is refused whatever.
    /// </summary>
    public async Task<CatalogImportResult> ImportAsync(Guid destinationId, AuditActor actor, CancellationToken ct, bool trustUnsigned = false)
    {
        var keys = await encryption.DecryptionIdentitiesAsync(ct).ConfigureAwait(false);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == destinationId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("This destination does not exist (any more).");
        var backend = storage.Open(destination);
        await using var backendScope = backend.ConfigureAwait(false);
        var objects = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var item in backend.ListAsync("", ct).ConfigureAwait(false))
        {
            objects[item.Key] = item.Size;
        }

        var manifests = objects.Keys.Where(k => k.EndsWith("/" + ArchiveManifest.FileName, StringComparison.Ordinal) && k.Count(c => c == '/') == 4).Order(StringComparer.Ordinal).ToList();
        int added = 0, copies = 0, skipped = 0;
        var damaged = new List<string>();
        foreach (var key in manifests)
        {
            var folder = key[..^ArchiveManifest.FileName.Length];
            try
            {
                var reader = new ArchiveReader(backend, folder, keys);
                var manifest = await reader.ReadManifestAsync(null, ct, requireSignature: !trustUnsigned).ConfigureAwait(false);
                var sha256 = reader.ManifestSha256!;
                CheckComponents(manifest, folder, objects);
                switch (await AddAsync(db, destination, manifest, folder, sha256, ct).ConfigureAwait(false))
                {
                    case Outcome.Added: added++; break;
                    case Outcome.CopyAdded: copies++; break;
                    default: skipped++; break;
                }
            }
            catch (ArchiveCorruptException ex)
            {
                if (damaged.Count < MaxDamagedListed) damaged.Add($"{folder}: {ex.Message}");
            }
        }

        var result = new CatalogImportResult(manifests.Count, added, copies, skipped, damaged);
        await audit.WriteAsync(actor, AuditActions.CatalogImported, AuditOutcome.Success, "destination", destination.Name, result.ToString(), ct).ConfigureAwait(false);
        return result;
    }

    private static void CheckComponents(ArchiveManifest manifest, string folder, Dictionary<string, long> objects)
    {
        if (manifest.Domain.Length is 0 or > 253 || manifest.Domain.Any(char.IsControl)
            || folder != ArchiveLayout.FolderKey(manifest.Domain, manifest.StartedAt, manifest.BackupId))
        {
            throw new ArchiveCorruptException(ArchiveManifest.FileName, "names another domain, time or backup than its folder");
        }

        foreach (var component in manifest.Components)
        {
            if (!objects.TryGetValue(folder + component.Name, out var size))
            {
                throw new ArchiveCorruptException(component.Name, "is listed in manifest.json but missing");
            }

            if (size != component.StoredSize)
            {
                throw new ArchiveCorruptException(component.Name, $"has {size:N0} bytes, the manifest says {component.StoredSize:N0}");
            }
        }
    }

    private async Task<Outcome> AddAsync(BackupPanelDbContext db, Destination destination, ArchiveManifest manifest, string folder, string sha256, CancellationToken ct)
    {
        var known = await db.Backups.Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == manifest.BackupId, ct).ConfigureAwait(false);
        var copy = new BackupCopy
        {
            Id = Guid.NewGuid(), BackupId = manifest.BackupId, DestinationId = destination.Id, DestinationName = destination.Name,
            Status = BackupCopyStatus.Stored, StoredAt = manifest.FinishedAt,
        };
        if (known is not null)
        {
            var existing = known.Copies.FirstOrDefault(c => c.DestinationId == destination.Id);
            if (existing is { Status: BackupCopyStatus.Stored } || known.ManifestSha256 is not null && known.ManifestSha256 != sha256)
            {
                return Outcome.Skipped; // listed already, or a different manifest than the catalog's (never trusted over it)
            }

            if (existing is not null) known.Copies.Remove(existing);
            known.Copies.Add(copy);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            return Outcome.CopyAdded;
        }

        var domain = await db.Domains.SingleOrDefaultAsync(d => d.Name == manifest.Domain, ct).ConfigureAwait(false);
        if (domain is null)
        {
            domain = new Domain { Id = Guid.NewGuid(), Name = manifest.Domain, CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(), Notes = $"Added by importing backups from {destination.Name}." };
            db.Domains.Add(domain);
        }

        db.Backups.Add(ToBackup(manifest, domain, folder, sha256, destination, copy));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return Outcome.Added;
    }

    private Backup ToBackup(ArchiveManifest manifest, Domain domain, string folder, string sha256, Destination destination, BackupCopy copy) => new()
    {
        Id = manifest.BackupId, DomainId = domain.Id, DomainName = manifest.Domain,
        Type = Enum.TryParse<BackupType>(manifest.Type, out var type) ? type : BackupType.Full, Status = BackupStatus.Succeeded,
        CreatedAt = manifest.StartedAt, StartedAt = manifest.StartedAt, FinishedAt = manifest.FinishedAt, RequestedBy = $"import from {destination.Name}",
        FolderKey = folder, Encrypted = manifest.Components.Any(c => c.Recipients.Count > 0), ManifestSha256 = sha256,
        StoredBytes = manifest.Components.Sum(c => c.StoredSize), PlainBytes = manifest.Components.Sum(c => c.PlainSize),
        Log = $"{clock.GetUtcNow():HH:mm:ss}  Imported from {destination.Name} ({manifest.Tool}).\n",
        Components = [.. manifest.Components.Select(BackupComponent.From)],
        Copies = [copy],
    };

    private enum Outcome
    {
        Added,
        CopyAdded,
        Skipped,
    }
}
