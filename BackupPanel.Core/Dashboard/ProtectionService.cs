using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Dashboard;

/// <summary>Reads what <see cref="ProtectionRules"/> needs for every domain: its enabled plans, its latest telling run, its last good backup.</summary>
public sealed class ProtectionService(IDbContextFactory<BackupPanelDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Every domain, at risk first, then by name.</summary>
    public async Task<IReadOnlyList<DomainProtection>> AssessAllAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var domains = await db.Domains.AsNoTracking().Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Domains).Where(p => p.Enabled).ToListAsync(ct);
        var cadences = plans.Select(p => (Plan: p, Gap: p.Schedule.LongestGap(now))).Where(p => p.Gap is not null)
            .SelectMany(p => p.Plan.Domains.Select(d => (d.DomainId, Cadence: new PlanCadence(p.Plan.Name, p.Gap!.Value))))
            .ToLookup(x => x.DomainId, x => x.Cadence);

        // The newest run per domain that tells something (skipped and cancelled runs do not), read from the (DomainId, CreatedAt) index.
        var latest = await db.Database.SqlQuery<LatestRow>($"""
            SELECT DISTINCT ON ("DomainId") "DomainId", "Status", "Error", COALESCE("FinishedAt", "CreatedAt") AS "At"
            FROM backups WHERE "DomainId" IS NOT NULL AND "Status" IN ('Succeeded', 'PartiallySucceeded', 'Failed', 'Missed')
            ORDER BY "DomainId", "CreatedAt" DESC
            """).ToDictionaryAsync(r => r.DomainId, ct);
        var lastGood = await db.Backups.AsNoTracking()
            .Where(b => b.DomainId != null && (b.Status == BackupStatus.Succeeded || b.Status == BackupStatus.PartiallySucceeded))
            .GroupBy(b => b.DomainId!.Value).Select(g => new { g.Key, At = g.Max(b => b.FinishedAt ?? b.CreatedAt) })
            .ToDictionaryAsync(x => x.Key, x => x.At, ct);

        return [.. domains.Select(d => ProtectionRules.Assess(d.Id, d.Name, [.. cadences[d.Id]],
                latest.TryGetValue(d.Id, out var l) ? new LatestRun(Enum.Parse<BackupStatus>(l.Status), l.Error, l.At) : null,
                lastGood.TryGetValue(d.Id, out var at) ? at : null, now))
            .OrderByDescending(p => p.AtRisk).ThenBy(p => p.DomainName, StringComparer.OrdinalIgnoreCase)];
    }

    private sealed class LatestRow
    {
        public Guid DomainId { get; set; }

        public string Status { get; set; } = "";

        public string? Error { get; set; }

        public DateTimeOffset At { get; set; }
    }
}
