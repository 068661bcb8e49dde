using System.Globalization;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Plans;

namespace BackupPanel.Core.Retention;

/// <summary>One restorable backup as retention sees it: when it was made, and whether someone pinned it.</summary>
public readonly record struct RetentionItem(Guid Id, DateTimeOffset Time, bool Pinned = false);

/// <summary>What retention does with one backup (or one copy), and why, in words the preview shows.</summary>
public sealed record RetentionVerdict(Guid Id, DateTimeOffset Time, bool Keep, IReadOnlyList<string> Reasons);

/// <summary>
/// Decides which backups of one domain and plan to keep: a pure function of the backups, the rules, the plan's time
/// zone and the time, so the preview and the job that deletes cannot disagree. The count rules follow restic's
/// <c>forget</c> exactly (newest first; each period that has a backup keeps its newest; while a count is not used up,
/// the oldest backup is kept too). Three safety rules override every rule: the newest backup is kept, pinned backups
/// are kept, and nothing is deleted while the domain's recent runs are failing (<see cref="HoldReason"/>).
/// </summary>
public static class RetentionPlanner
{
    /// <summary>
    /// Verdicts for <paramref name="backups"/> (restorable ones only), newest first, with periods taken in
    /// <paramref name="zone"/> and ages from <paramref name="now"/>. When <paramref name="hold"/> is not null it says
    /// why nothing may be deleted now, and every backup is kept with that reason.
    /// </summary>
    public static IReadOnlyList<RetentionVerdict> Plan(IEnumerable<RetentionItem> backups, RetentionRules rules, TimeZoneInfo zone, DateTimeOffset now, string? hold = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(zone);
        var list = backups.OrderByDescending(b => b.Time).ThenBy(b => b.Id).ToList();
        var periods = new[]
        {
            new Period(rules.KeepLast, (_, nr) => nr, (_, _) => rules.KeepLast == RetentionRules.Unlimited ? "last (all)" : $"one of the last {rules.KeepLast}"),
            new Period(rules.KeepHourly, (t, _) => (t.Year * 10_000L + (t.Month * 100) + t.Day) * 100 + t.Hour, (t, _) => $"hourly {t:yyyy-MM-dd HH}:00"),
            new Period(rules.KeepDaily, (t, _) => t.Year * 10_000L + (t.Month * 100) + t.Day, (t, _) => $"daily {t:yyyy-MM-dd}"),
            new Period(rules.KeepWeekly, (t, _) => ISOWeek.GetYear(t) * 100L + ISOWeek.GetWeekOfYear(t), (t, _) => string.Create(CultureInfo.InvariantCulture, $"weekly {ISOWeek.GetYear(t)}-W{ISOWeek.GetWeekOfYear(t):00}")),
            new Period(rules.KeepMonthly, (t, _) => t.Year * 100L + t.Month, (t, _) => $"monthly {t:yyyy-MM}"),
            new Period(rules.KeepYearly, (t, _) => t.Year, (t, _) => $"yearly {t:yyyy}"),
        };
        var cutoff = rules.MaxAgeDays is { } days ? now.AddDays(-days) : (DateTimeOffset?)null;

        var verdicts = new List<RetentionVerdict>(list.Count);
        for (var nr = 0; nr < list.Count; nr++)
        {
            var item = list[nr];
            var local = TimeZoneInfo.ConvertTime(item.Time, zone).DateTime;
            var byRule = new List<string>();
            foreach (var period in periods)
            {
                period.Consider(local, nr, nr == list.Count - 1, byRule);
            }

            var safety = new List<string>();
            if (nr == 0)
            {
                safety.Add("the newest backup");
            }

            if (item.Pinned)
            {
                safety.Add("pinned");
            }

            if (hold is not null)
            {
                safety.Add(hold);
            }

            var tooOld = cutoff is { } c && item.Time < c;
            var keptByRules = rules.IsEmpty || (!tooOld && (byRule.Count > 0 || !rules.HasKeepRules));
            if (keptByRules && byRule.Count == 0)
            {
                byRule.Add(rules.IsEmpty ? "no retention rules" : $"younger than {rules.MaxAgeDays} days");
            }

            verdicts.Add((safety.Count > 0, keptByRules) switch
            {
                (_, true) => new RetentionVerdict(item.Id, item.Time, true, [.. safety, .. byRule]),
                (true, false) => new RetentionVerdict(item.Id, item.Time, true, safety),
                _ => new RetentionVerdict(item.Id, item.Time, false, [tooOld ? $"older than {rules.MaxAgeDays} days" : "no rule keeps it"]),
            });
        }

        return verdicts;
    }

    /// <summary>
    /// Verdicts per copy: each destination's copies are planned on their own, with that destination's override or else
    /// the plan's rules (keep 7 locally, 90 days on S3). A backup whose every copy is deleted is deleted.
    /// </summary>
    public static IReadOnlyList<(Guid DestinationId, RetentionVerdict Verdict)> PlanCopies(
        IEnumerable<(Guid DestinationId, RetentionItem Backup)> copies, RetentionRules planRules, IReadOnlyDictionary<Guid, RetentionRules> overrides,
        TimeZoneInfo zone, DateTimeOffset now, string? hold = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return copies.GroupBy(c => c.DestinationId)
            .SelectMany(d => Plan(d.Select(c => c.Backup), overrides.GetValueOrDefault(d.Key) ?? planRules, zone, now, hold).Select(v => (d.Key, v)))
            .ToList();
    }

    /// <summary>
    /// Why deletions must wait, or null: the domain's latest <paramref name="failedRuns"/> finished runs all failed
    /// (0 turns the rule off). Runs are newest first; cancelled, missed and unfinished runs do not count.
    /// </summary>
    public static string? HoldReason(IEnumerable<BackupStatus> runsNewestFirst, int failedRuns)
    {
        if (failedRuns <= 0)
        {
            return null;
        }

        var finished = runsNewestFirst.Where(s => s is BackupStatus.Succeeded or BackupStatus.PartiallySucceeded or BackupStatus.Failed).Take(failedRuns).ToList();
        return finished.Count == failedRuns && finished.TrueForAll(s => s == BackupStatus.Failed)
            ? $"the last {failedRuns} runs failed: nothing is deleted until one succeeds"
            : null;
    }

    /// <summary>One count rule: how many periods are left, the period of a time, and the last period seen.</summary>
    private sealed class Period(int count, Func<DateTime, int, long> periodOf, Func<DateTime, int, string> describe)
    {
        private int _left = count;
        private long _last = -1;

        public void Consider(DateTime local, int nr, bool oldest, List<string> reasons)
        {
            if (_left == 0)
            {
                return;
            }

            var value = periodOf(local, nr);
            if (value == _last && !oldest)
            {
                return;
            }

            // The oldest backup is kept while the count is not used up: the history kept is as long as it can be.
            reasons.Add(value == _last ? "oldest, " + describe(local, nr) : describe(local, nr));
            _last = value;
            if (_left > 0)
            {
                _left--;
            }
        }
    }
}
