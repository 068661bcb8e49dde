using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Starts, cancels, verifies, deletes, lists and shows backups and opens their components for download. The long
/// work runs in <see cref="RunBackupJob"/> and <see cref="VerifyBackupJob"/>.
/// </summary>
public sealed class BackupService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, IBackgroundJobClient jobs, AuditService audit, TimeProvider clock)
{
    private const int MaxTake = 200;

    /// <summary>
    /// Queues a backup of the domain to <paramref name="destinationIds"/> (each gets a copy; null or empty: the default
    /// destination) and returns its id; the job picks it up on a worker. Throws <see cref="InvalidOperationException"/>
    /// with the reason when it cannot start.
    /// </summary>
    public async Task<Guid> BackUpNowAsync(Guid domainId, BackupType type, IReadOnlyCollection<Guid>? destinationIds, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (id, domainName, where) = await CreateAsync(domainId, type, destinationIds, actor.UserName, ct).ConfigureAwait(false);
        var jobId = jobs.Enqueue<RunBackupJob>(job => job.RunAsync(id, CancellationToken.None));
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await db.Backups.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.JobId, jobId), ct).ConfigureAwait(false);
        }

        await audit.WriteAsync(actor, AuditActions.BackupStarted, AuditOutcome.Success, "domain", domainName, $"{type} backup {id} to {where}", ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>Queues a plan's backup of one domain (no audit entry: no one asked; the row names the plan).</summary>
    public async Task<Guid> QueueForPlanAsync(Guid domainId, BackupType type, IReadOnlyCollection<Guid> destinationIds, Guid planId, string planName, Guid planRunId, CancellationToken ct)
    {
        var (id, _, _) = await CreateAsync(domainId, type, destinationIds, $"plan {planName}", ct, (planId, planRunId)).ConfigureAwait(false);
        var jobId = jobs.Enqueue<RunBackupJob>(job => job.RunAsync(id, CancellationToken.None));
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        await db.Backups.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.JobId, jobId), ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>A queued backup that no job picks up, for a caller that runs it itself (the safety backup before a restore).</summary>
    public async Task<Guid> CreateQueuedAsync(Guid domainId, BackupType type, Guid destinationId, string requestedBy, CancellationToken ct) =>
        (await CreateAsync(domainId, type, [destinationId], requestedBy, ct).ConfigureAwait(false)).Id;

    private async Task<(Guid Id, string DomainName, string Where)> CreateAsync(
        Guid domainId, BackupType type, IReadOnlyCollection<Guid>? destinationIds, string requestedBy, CancellationToken ct, (Guid Plan, Guid Run)? plan = null)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var domain = await db.Domains.AsNoTracking().SingleOrDefaultAsync(d => d.Id == domainId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("This domain does not exist (any more).");
        var wanted = destinationIds?.Distinct().ToList() ?? [];
        var destinations = await db.Destinations.AsNoTracking().Where(d => d.IsEnabled && (wanted.Count == 0 ? d.IsDefault : wanted.Contains(d.Id)))
            .OrderBy(d => d.Name).ToListAsync(ct).ConfigureAwait(false);
        if (destinations.Count == 0 || (wanted.Count > 0 && destinations.Count != wanted.Count))
        {
            throw new InvalidOperationException(wanted.Count == 0
                ? "There is no default destination: add one under Destinations."
                : "A chosen destination does not exist or is disabled.");
        }

        var backup = new Backup
        {
            Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Type = type, Status = BackupStatus.Queued,
            CreatedAt = clock.GetUtcNow(), RequestedBy = requestedBy.Length > 256 ? requestedBy[..256] : requestedBy, PlanId = plan?.Plan, PlanRunId = plan?.Run,
            Copies = [.. destinations.Select(d => new BackupCopy { Id = Guid.NewGuid(), DestinationId = d.Id, DestinationName = d.Name, Status = BackupCopyStatus.Pending })],
        };
        db.Backups.Add(backup);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return (backup.Id, domain.Name, string.Join(", ", destinations.Select(d => d.Name)));
    }

    /// <summary>Asks a queued or running backup to stop; the run removes what it wrote. False when it is over already.</summary>
    public async Task<bool> CancelAsync(Guid backupId, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
        if (backup is null || backup.IsFinished)
        {
            return false;
        }

        backup.CancelRequested = true;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.BackupCancelled, AuditOutcome.Success, "backup", backupId.ToString(), backup.DomainName, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Queues a verify of every stored copy; the result lands on the backup. Throws with the reason when it cannot.</summary>
    public async Task VerifyAsync(Guid backupId, AuditActor actor, CancellationToken ct)
    {
        var backup = await GetAsync(backupId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("This backup does not exist (any more).");
        if (backup.Status is not (BackupStatus.Succeeded or BackupStatus.PartiallySucceeded))
        {
            throw new InvalidOperationException($"Only a successful backup can be verified; this one is {backup.Status}.");
        }

        jobs.Enqueue<VerifyBackupJob>(job => job.RunAsync(backupId, CancellationToken.None));
        await audit.WriteAsync(actor, AuditActions.BackupVerified, AuditOutcome.Success, "backup", backupId.ToString(), backup.DomainName, ct).ConfigureAwait(false);
    }

    /// <summary>Pins a backup (retention never deletes it) or unpins it; audited. False when it does not exist.</summary>
    public async Task<bool> SetPinnedAsync(Guid backupId, bool pinned, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
        if (backup is null)
        {
            return false;
        }

        backup.Pinned = pinned;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, pinned ? AuditActions.BackupPinned : AuditActions.BackupUnpinned, AuditOutcome.Success, "backup", backupId.ToString(),
            $"{backup.DomainName} {backup.Type} of {backup.CreatedAt:yyyy-MM-dd HH:mm} UTC", ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Deletes every stored copy (manifest first, so a half-deleted folder never looks complete) and the backup's
    /// record. Throws with the reason when it cannot; a copy that cannot be reached keeps the record.
    /// </summary>
    public async Task DeleteAsync(Guid backupId, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("This backup does not exist (any more).");
        if (!backup.IsFinished)
        {
            throw new InvalidOperationException("This backup is still running: cancel it first.");
        }

        foreach (var copy in backup.Copies.Where(c => c.Status == BackupCopyStatus.Stored && backup.FolderKey is not null))
        {
            var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == copy.DestinationId, ct).ConfigureAwait(false);
            if (destination is null)
            {
                continue; // the destination is gone from the panel; nothing here can reach its files
            }

            var backend = storage.Open(destination);
            await using var backendScope = backend.ConfigureAwait(false);
            await BackupFolder.DeleteAsync(backend, backup.FolderKey!, ct).ConfigureAwait(false);
        }

        db.Backups.Remove(backup);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.BackupDeleted, AuditOutcome.Success, "backup", backupId.ToString(),
            $"{backup.DomainName} {backup.Type} of {backup.CreatedAt:yyyy-MM-dd HH:mm} UTC", ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a component's stored bytes (as stored: compressed, and encrypted when the backup is) for download from
    /// its first stored copy, and audits it. Null when the backup or component does not exist.
    /// </summary>
    public async Task<ComponentDownload?> OpenComponentAsync(Guid backupId, string componentName, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw new UnauthorizedAccessException("Only an Admin can download a backup's components.");
        }

        var backup = await GetAsync(backupId, ct).ConfigureAwait(false);
        var component = backup?.Components.FirstOrDefault(c => c.Name == componentName);
        var copy = backup?.Copies.FirstOrDefault(c => c.Status == BackupCopyStatus.Stored);
        if (backup is null || component is null || copy is null)
        {
            return null;
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == copy.DestinationId, ct).ConfigureAwait(false);
        if (destination is null)
        {
            return null;
        }

        var backend = storage.Open(destination);
        Stream stream;
        try
        {
            stream = new OwningStream(await backend.OpenReadAsync(backup.FolderKey + component.Name, null, ct).ConfigureAwait(false), backend);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await audit.WriteAsync(actor, AuditActions.BackupDownloaded, AuditOutcome.Success, "backup", backupId.ToString(), $"{backup.DomainName} {component.Name}", ct).ConfigureAwait(false);
        return new ComponentDownload(stream, $"{backup.DomainName}_{backup.CreatedAt:yyyyMMdd'T'HHmmss'Z'}_{component.Name}", component.StoredSize);
    }

    /// <summary>Each domain's newest backup (any state), for "is every domain protected" at a glance.</summary>
    public async Task<IReadOnlyDictionary<Guid, Backup>> LatestByDomainAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var latest = await db.Backups.AsNoTracking().Where(b => b.DomainId != null)
            .GroupBy(b => b.DomainId)
            .Select(g => g.OrderByDescending(b => b.CreatedAt).First())
            .ToListAsync(ct).ConfigureAwait(false);
        return latest.ToDictionary(b => b.DomainId!.Value);
    }

    /// <summary>One backup with its components and copies, or null.</summary>
    /// <summary>Backups with a stored copy at each destination, and their stored bytes.</summary>
    public async Task<IReadOnlyDictionary<Guid, DestinationUsage>> UsageByDestinationAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var rows = await db.Set<BackupCopy>().AsNoTracking().Where(c => c.Status == BackupCopyStatus.Stored && c.DestinationId != null)
            .Join(db.Backups, c => c.BackupId, b => b.Id, (c, b) => new { c.DestinationId, b.StoredBytes })
            .GroupBy(x => x.DestinationId!.Value).Select(g => new { Id = g.Key, Count = g.Count(), Bytes = g.Sum(x => x.StoredBytes) }).ToListAsync(ct).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => new DestinationUsage(r.Count, r.Bytes));
    }

    public async Task<Backup?> GetAsync(Guid backupId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Backups.AsNoTracking().Include(b => b.Components.OrderBy(c => c.Position)).Include(b => b.Copies).AsSplitQuery()
            .SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
    }

    /// <summary>History, newest first, filtered and paged on the server (indexes keep this fast at 100,000 rows).</summary>
    public async Task<BackupPage> QueryAsync(BackupQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var q = db.Backups.AsNoTracking();
        if (query.DomainId is { } domainId) q = q.Where(b => b.DomainId == domainId);
        if (query.Status is { } status) q = q.Where(b => b.Status == status);
        if (query.Type is { } type) q = q.Where(b => b.Type == type);
        if (query.From is { } from) q = q.Where(b => b.CreatedAt >= from);
        if (query.To is { } to) q = q.Where(b => b.CreatedAt < to);
        var total = await q.CountAsync(ct).ConfigureAwait(false);
        var items = await q.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
            .Select(b => new Backup
            {
                Id = b.Id, DomainId = b.DomainId, DomainName = b.DomainName, Type = b.Type, Status = b.Status, CreatedAt = b.CreatedAt,
                StartedAt = b.StartedAt, FinishedAt = b.FinishedAt, RequestedBy = b.RequestedBy, StoredBytes = b.StoredBytes,
                PlainBytes = b.PlainBytes, WarningCount = b.WarningCount, Error = b.Error, Phase = b.Phase, ProgressBytes = b.ProgressBytes,
                ProgressTotal = b.ProgressTotal, VerifiedAt = b.VerifiedAt, VerifySucceeded = b.VerifySucceeded, Encrypted = b.Encrypted,
            })
            .ToListAsync(ct).ConfigureAwait(false);
        return new BackupPage(items, total);
    }
}
