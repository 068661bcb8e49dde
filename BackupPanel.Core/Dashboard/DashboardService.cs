using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Dashboard;

public sealed record SuccessRate(int Succeeded, int Partial, int Failed)
{
    public int Finished => Succeeded + Partial + Failed;

    /// <summary>Succeeded (partly counts as succeeded) of finished runs in percent; null when nothing finished.</summary>
    public double? Percent => Finished == 0 ? null : 100.0 * (Succeeded + Partial) / Finished;
}

public sealed record ActiveRun(Guid BackupId, string DomainName, BackupType Type, BackupStatus Status, string? Phase, long ProgressBytes, long? ProgressTotal, DateTimeOffset? StartedAt);

public sealed record UpcomingRun(Guid PlanId, string PlanName, DateTimeOffset At, string Schedule);

public sealed record RecentProblem(Guid BackupId, string DomainName, BackupStatus Status, DateTimeOffset At, string? Error);

public sealed record StoredAtDestination(Guid Id, string Name, long Bytes, int Backups);

public sealed record DayCount(DateOnly Day, BackupStatus Status, int Count);

public sealed record DaySize(DateOnly Day, long Bytes);

/// <summary>Everything the dashboard shows, read in one go.</summary>
public sealed record DashboardData(
    IReadOnlyList<DomainProtection> Domains, SuccessRate Last24Hours, SuccessRate Last7Days, IReadOnlyList<ActiveRun> Active,
    IReadOnlyList<UpcomingRun> Upcoming, IReadOnlyList<RecentProblem> Problems, IReadOnlyList<StoredAtDestination> Storage,
    IReadOnlyList<DayCount> PerDay, IReadOnlyList<DaySize> StoredOverTime, DateTimeOffset At);

/// <summary>
/// The dashboard's queries. Each is an aggregate the database answers from an index (counts by status since a time,
/// the latest run per domain, sums per destination), so the page stays fast with 100,000 backups (measured in
/// <c>make bench</c>, docs/PERFORMANCE.md).
/// </summary>
public sealed class DashboardService(IDbContextFactory<BackupPanelDbContext> dbFactory, ProtectionService protection, TimeProvider clock)
{
    public const int ChartDays = 30;

    public async Task<DashboardData> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var domains = await protection.AssessAllAsync(ct).ConfigureAwait(false);
        var since = now.AddDays(-ChartDays + 1).UtcDateTime.Date;
        var perDay = await db.Database.SqlQuery<DayRow>($"""
            SELECT (date_trunc('day', "CreatedAt" AT TIME ZONE 'UTC'))::date AS "Day", "Status", count(*)::int AS "Count"
            FROM backups WHERE "CreatedAt" >= {new DateTimeOffset(since, TimeSpan.Zero)} GROUP BY 1, 2
            """).ToListAsync(ct).ConfigureAwait(false);
        var days = perDay.Select(r => Enum.TryParse<BackupStatus>(r.Status, out var status) ? new DayCount(r.Day, status, r.Count) : null)
            .OfType<DayCount>().ToList();
        var active = await ActiveAsync(db, ct).ConfigureAwait(false);
        var problems = await db.Backups.AsNoTracking()
            .Where(b => b.Status == BackupStatus.Failed || b.Status == BackupStatus.PartiallySucceeded || b.Status == BackupStatus.Missed)
            .OrderByDescending(b => b.CreatedAt).Take(8)
            .Select(b => new RecentProblem(b.Id, b.DomainName, b.Status, b.FinishedAt ?? b.CreatedAt, b.Error)).ToListAsync(ct).ConfigureAwait(false);
        var plans = await db.Plans.AsNoTracking().Where(p => p.Enabled).ToListAsync(ct).ConfigureAwait(false);
        var upcoming = plans.SelectMany(p => p.Schedule.NextRuns(now, 1).Select(at => new UpcomingRun(p.Id, p.Name, at, p.Schedule.Describe())))
            .OrderBy(r => r.At).Take(6).ToList();
        var storage = await StorageNowAsync(db, ct).ConfigureAwait(false);
        var history = await db.StorageSamples.AsNoTracking().Where(s => s.Day >= DateOnly.FromDateTime(since))
            .GroupBy(s => s.Day).Select(g => new DaySize(g.Key, g.Sum(s => s.Bytes))).ToListAsync(ct).ConfigureAwait(false);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        history = [.. history.Where(h => h.Day != today).Append(new DaySize(today, storage.Sum(s => s.Bytes))).OrderBy(h => h.Day)];
        return new DashboardData(domains, await RateSinceAsync(db, now.AddHours(-24), ct).ConfigureAwait(false), await RateSinceAsync(db, now.AddDays(-7), ct).ConfigureAwait(false), active,
            upcoming, problems, storage, days, history, now);
    }

    /// <summary>Backups queued or running, with their progress (the dashboard refreshes these every few seconds).</summary>
    public async Task<IReadOnlyList<ActiveRun>> ActiveAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await ActiveAsync(db, ct).ConfigureAwait(false);
    }

    private static async Task<List<ActiveRun>> ActiveAsync(BackupPanelDbContext db, CancellationToken ct) =>
        await db.Backups.AsNoTracking().Where(b => b.Status == BackupStatus.Running || b.Status == BackupStatus.Queued)
            .OrderBy(b => b.CreatedAt).Take(20)
            .Select(b => new ActiveRun(b.Id, b.DomainName, b.Type, b.Status, b.Phase, b.ProgressBytes, b.ProgressTotal, b.StartedAt)).ToListAsync(ct).ConfigureAwait(false);

    /// <summary>Bytes and backups with a stored copy at each destination, now.</summary>
    internal static async Task<List<StoredAtDestination>> StorageNowAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        var used = await db.Set<BackupCopy>().AsNoTracking().Where(c => c.Status == BackupCopyStatus.Stored && c.DestinationId != null)
            .Join(db.Backups, c => c.BackupId, b => b.Id, (c, b) => new { c.DestinationId, b.StoredBytes })
            .GroupBy(x => x.DestinationId!.Value).Select(g => new { Id = g.Key, Count = g.Count(), Bytes = g.Sum(x => x.StoredBytes) }).ToListAsync(ct).ConfigureAwait(false);
        var names = await db.Destinations.AsNoTracking().Select(d => new { d.Id, d.Name }).ToListAsync(ct).ConfigureAwait(false);
        return [.. names.Select(n => used.FirstOrDefault(u => u.Id == n.Id) is { } u ? new StoredAtDestination(n.Id, n.Name, u.Bytes, u.Count) : new StoredAtDestination(n.Id, n.Name, 0, 0))
            .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private static async Task<SuccessRate> RateSinceAsync(BackupPanelDbContext db, DateTimeOffset since, CancellationToken ct)
    {
        var counts = await db.Backups.AsNoTracking().Where(b => b.CreatedAt >= since).GroupBy(b => b.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct).ConfigureAwait(false);
        int Count(BackupStatus s) => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0;
        return new SuccessRate(Count(BackupStatus.Succeeded), Count(BackupStatus.PartiallySucceeded), Count(BackupStatus.Failed) + Count(BackupStatus.Missed));
    }

    private sealed class DayRow
    {
        public DateOnly Day { get; set; }

        public string Status { get; set; } = "";

        public int Count { get; set; }
    }
}
