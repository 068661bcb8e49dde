using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>Turns a bulk restore selection into items: exact backups, or the latest successful backup of each domain.</summary>
internal static class BulkSelection
{
    private static readonly BackupStatus[] Restorable = [BackupStatus.Succeeded, BackupStatus.PartiallySucceeded];

    /// <summary>One item per backup, in the order given; a backup that is unknown or cannot be restored is an error naming it.</summary>
    public static async Task<List<RestoreBatchItem>> FromBackupsAsync(BackupPanelDbContext db, IReadOnlyList<Guid> ids, Dictionary<string, string> errors, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        var found = await db.Backups.AsNoTracking().Where(b => distinct.Contains(b.Id))
            .Select(b => new { b.Id, b.DomainName, b.CreatedAt, b.Status, Stored = b.Copies.Any(c => c.Status == BackupCopyStatus.Stored) })
            .ToDictionaryAsync(b => b.Id, ct).ConfigureAwait(false);
        var problems = distinct.Select(id => found.GetValueOrDefault(id) switch
        {
            null => $"{id} does not exist (any more)",
            { Status: var s } b when !Restorable.Contains(s) => $"{b.DomainName} {b.CreatedAt:yyyy-MM-dd HH:mm} is {s}",
            { Stored: false } b => $"{b.DomainName} {b.CreatedAt:yyyy-MM-dd HH:mm} has no stored copy left",
            _ => null,
        }).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            errors[nameof(BulkRestoreRequest.BackupIds)] = $"Cannot restore {problems.Count} of the chosen backups: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; …" : "")}.";
        }

        return distinct.Where(found.ContainsKey).Select(id => NewItem(found[id].Id, found[id].DomainName, found[id].CreatedAt)).ToList();
    }

    /// <summary>
    /// For each domain, its latest successful backup with a stored copy, made on or before <see cref="BulkRestoreRequest.AsOf"/>,
    /// of a type that holds what was chosen (a Full backup always does). Domains without one become skipped items saying so.
    /// </summary>
    public static async Task<List<RestoreBatchItem>> LatestOfDomainsAsync(BackupPanelDbContext db, BulkRestoreRequest request, Dictionary<string, string> errors, CancellationToken ct)
    {
        var domainIds = request.DomainIds.Distinct().ToList();
        var domains = await db.Domains.AsNoTracking().Where(d => domainIds.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToDictionaryAsync(d => d.Id, ct).ConfigureAwait(false);
        var unknown = domainIds.Count(id => !domains.ContainsKey(id));
        if (unknown > 0)
        {
            errors[nameof(BulkRestoreRequest.DomainIds)] = $"{unknown} of the chosen domains no longer exist: reload the page.";
            return [];
        }

        List<BackupType> types = [BackupType.Full, .. request.Files ? [BackupType.Files] : Array.Empty<BackupType>(),
            .. request.Databases ? [BackupType.Database] : Array.Empty<BackupType>(), .. request.Mail ? [BackupType.Email] : Array.Empty<BackupType>()];
        var asOf = request.AsOf ?? DateTimeOffset.MaxValue;
        var items = new List<RestoreBatchItem>();
        foreach (var id in domainIds)
        {
            var latest = await db.Backups.AsNoTracking()
                .Where(b => b.DomainId == id && Restorable.Contains(b.Status) && types.Contains(b.Type) && b.CreatedAt <= asOf && b.Copies.Any(c => c.Status == BackupCopyStatus.Stored))
                .OrderByDescending(b => b.CreatedAt).Select(b => new { b.Id, b.CreatedAt }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            var item = NewItem(latest?.Id ?? Guid.Empty, domains[id].Name, latest?.CreatedAt ?? default);
            if (latest is null)
            {
                (item.Status, item.Preflight) = (RestoreItemStatus.Skipped, PreflightLevel.Error);
                item.Error = $"No successful backup {(request.AsOf is { } d ? $"on or before {d:yyyy-MM-dd HH:mm} UTC" : "at all")} holds what was chosen.";
                item.PreflightReport = "error: " + item.Error;
            }

            items.Add(item);
        }

        if (items.All(i => i.Status == RestoreItemStatus.Skipped))
        {
            errors[nameof(BulkRestoreRequest.DomainIds)] = "None of the chosen domains has a successful backup to restore" + (request.AsOf is null ? "." : " on or before that date.");
        }

        return items;
    }

    private static RestoreBatchItem NewItem(Guid backupId, string domainName, DateTimeOffset createdAt) =>
        new() { BackupId = backupId, DomainName = domainName, BackupCreatedAt = createdAt, Status = RestoreItemStatus.Pending };
}
