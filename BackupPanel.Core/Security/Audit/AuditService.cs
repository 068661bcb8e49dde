using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Security.Audit;

/// <summary>Appends to and reads the audit log. Entries are never changed or removed.</summary>
public sealed class AuditService(IDbContextFactory<BackupPanelDbContext> dbFactory, TimeProvider clock)
{
    private const int MaxDetails = 4000;
    private const int MaxTake = 500;

    /// <summary>Appends one entry. <paramref name="details"/> must not contain secrets; it is cut to 4,000 characters.</summary>
    public async Task WriteAsync(
        AuditActor actor, string action, AuditOutcome outcome,
        string? targetType = null, string? targetId = null, string? details = null, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            UserId = actor.UserId,
            UserName = Cut(actor.UserName, 256),
            Action = action,
            Outcome = outcome,
            TargetType = targetType,
            TargetId = targetId is null ? null : Cut(targetId, 256),
            ClientAddress = actor.ClientAddress,
            Details = details is null ? null : Cut(details, MaxDetails),
        });
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Newest first, filtered and paged on the server.</summary>
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Action)) q = q.Where(e => e.Action == query.Action);
        if (query.Outcome is { } outcome) q = q.Where(e => e.Outcome == outcome);
        if (query.From is { } from) q = q.Where(e => e.At >= from);
        if (query.To is { } to) q = q.Where(e => e.At < to);
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var pattern = "%" + EscapeLike(query.Text.Trim()) + "%";
            q = q.Where(e => EF.Functions.ILike(e.UserName, pattern, "\\")
                || (e.TargetId != null && EF.Functions.ILike(e.TargetId, pattern, "\\"))
                || (e.Details != null && EF.Functions.ILike(e.Details, pattern, "\\"))
                || (e.ClientAddress != null && EF.Functions.ILike(e.ClientAddress, pattern, "\\")));
        }
        var total = await q.CountAsync(ct).ConfigureAwait(false);
        var items = await q.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake)).ToListAsync(ct).ConfigureAwait(false);
        return new AuditPage(items, total);
    }

    /// <summary>
    /// Checks the whole chain in the database: every entry's hash over its fields and the previous entry's hash.
    /// An entry changed, removed or slipped in (by someone who got past the database's refusals) is the break.
    /// </summary>
    public async Task<AuditChainStatus> VerifyChainAsync(CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var firstBreak = await db.Database.SqlQueryRaw<long?>("SELECT audit_chain_first_break() AS \"Value\"").SingleAsync(ct).ConfigureAwait(false);
        var entries = await db.AuditEntries.LongCountAsync(ct).ConfigureAwait(false);
        var first = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var broken = firstBreak is { } id ? await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == id, ct).ConfigureAwait(false) : null;
        return new AuditChainStatus(broken is null, entries, first?.At, last?.Hash, broken);
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
