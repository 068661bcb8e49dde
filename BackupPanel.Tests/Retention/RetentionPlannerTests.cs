using System.Globalization;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Retention;

namespace BackupPanel.Tests.Retention;

/// <summary>The retention planner as the pure function it is: restic's documented cases, time zones, and the safety rules.</summary>
public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset Now = At("2026-11-29 12:00");

    [Fact]
    public void KeepDaily_ResticDocExample_TwelveSundaysKeepTheLastFour()
    {
        // doc/060_forget.rst: one backup every Sunday for 12 weeks, `forget --keep-daily 4`.
        var sundays = Enumerable.Range(0, 12).Select(w => Item(At("2019-09-01 11:00").AddDays(7 * w))).ToList();

        var verdicts = RetentionPlanner.Plan(sundays, new RetentionRules { KeepDaily = 4 }, TimeZoneInfo.Utc, At("2019-11-20 00:00"));

        Assert.Equal(["2019-11-17", "2019-11-10", "2019-11-03", "2019-10-27"], Kept(verdicts));
        Assert.Equal(8, verdicts.Count(v => !v.Keep));
        Assert.All(verdicts.Where(v => !v.Keep), v => Assert.Equal(["no rule keeps it"], v.Reasons));
    }

    [Fact]
    public void ResticDocExample_DailyForAHundredYears_KeepsSevenDailiesFourWeekliesElevenMonthliesAndTheYearlies()
    {
        // "one backup every day for 100 years: --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 75",
        // ending on a Sunday so the 7 dailies are one whole week.
        var last = At("2026-11-29 03:00");
        var daily = Enumerable.Range(0, 36_525).Select(d => Item(last.AddDays(-d))).ToList();

        var verdicts = RetentionPlanner.Plan(daily, new RetentionRules { KeepDaily = 7, KeepWeekly = 5, KeepMonthly = 12, KeepYearly = 75 }, TimeZoneInfo.Utc, Now);

        Assert.Equal(7, WithReason(verdicts, "daily "));
        Assert.Equal(5, WithReason(verdicts, "weekly "));
        Assert.Equal(12, WithReason(verdicts, "monthly "));
        Assert.Equal(75, WithReason(verdicts, "yearly "));
        // 7 dailies + 4 more Sundays + 11 more month ends + 73 more year ends (2026 is the newest, 2025's Dec 31 is a monthly).
        Assert.Equal(7 + 4 + 11 + 73, verdicts.Count(v => v.Keep));
        Assert.Contains(verdicts, v => v.Keep && v.Time == At("1952-12-31 03:00"));
        Assert.DoesNotContain(verdicts, v => v.Keep && v.Time < At("1952-12-31 03:00"));
    }

    public static TheoryData<string, RetentionRules, string[], string[]> Cases => new()
    {
        // name, rules, backups (UTC), kept (UTC, newest first)
        { "keep-last", new RetentionRules { KeepLast = 3 }, ["2026-11-20 02:00", "2026-11-21 02:00", "2026-11-22 02:00", "2026-11-23 02:00", "2026-11-24 02:00"],
            ["2026-11-24 02:00", "2026-11-23 02:00", "2026-11-22 02:00"] },
        { "daily keeps each day's newest", new RetentionRules { KeepDaily = 2 }, ["2026-11-22 02:00", "2026-11-22 14:00", "2026-11-23 02:00", "2026-11-23 14:00", "2026-11-24 02:00"],
            ["2026-11-24 02:00", "2026-11-23 14:00"] },
        { "a count not used up keeps the oldest too", new RetentionRules { KeepDaily = 5 }, ["2026-11-22 02:00", "2026-11-22 14:00", "2026-11-23 02:00", "2026-11-23 14:00"],
            ["2026-11-23 14:00", "2026-11-22 14:00", "2026-11-22 02:00"] },
        { "weeks are ISO weeks, Monday to Sunday", new RetentionRules { KeepWeekly = 2 }, ["2026-11-15 23:00", "2026-11-22 10:00", "2026-11-22 23:00", "2026-11-23 01:00"],
            ["2026-11-23 01:00", "2026-11-22 23:00"] },
        { "rules are ORed", new RetentionRules { KeepLast = 1, KeepMonthly = 2 }, ["2026-09-30 02:00", "2026-10-15 02:00", "2026-10-31 02:00", "2026-11-01 02:00", "2026-11-02 02:00"],
            ["2026-11-02 02:00", "2026-10-31 02:00"] },
        { "unlimited keeps every period and the oldest", new RetentionRules { KeepYearly = RetentionRules.Unlimited }, ["2024-03-01 02:00", "2024-06-01 02:00", "2025-06-01 02:00", "2026-06-01 02:00"],
            ["2026-06-01 02:00", "2025-06-01 02:00", "2024-06-01 02:00", "2024-03-01 02:00"] },
        { "max age alone keeps what is younger", new RetentionRules { MaxAgeDays = 7 }, ["2026-11-01 02:00", "2026-11-21 02:00", "2026-11-23 02:00", "2026-11-25 02:00"],
            ["2026-11-25 02:00", "2026-11-23 02:00"] },
        { "max age overrides the count rules", new RetentionRules { KeepDaily = 30, MaxAgeDays = 7 }, ["2026-11-10 02:00", "2026-11-21 02:00", "2026-11-23 02:00", "2026-11-28 02:00"],
            ["2026-11-28 02:00", "2026-11-23 02:00"] },
        { "no rules keeps everything", new RetentionRules(), ["2020-01-01 02:00", "2026-11-28 02:00"],
            ["2026-11-28 02:00", "2020-01-01 02:00"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_Cases(string name, RetentionRules rules, string[] backups, string[] kept)
    {
        var verdicts = RetentionPlanner.Plan(backups.Select(b => Item(At(b))), rules, TimeZoneInfo.Utc, Now);

        Assert.True(kept.Select(At).SequenceEqual(verdicts.Where(v => v.Keep).Select(v => v.Time)), $"{name}: kept {string.Join(", ", verdicts.Where(v => v.Keep).Select(v => v.Time))}");
        Assert.All(verdicts, v => Assert.NotEmpty(v.Reasons));
    }

    [Fact]
    public void Periods_AreThePlansTimeZone()
    {
        // 23:30 and 00:30 UTC are two days in UTC, one day in Paris (00:30 and 01:30 on the 25th).
        var items = new[] { Item(At("2026-11-24 23:30")), Item(At("2026-11-25 00:30")) };
        var rules = new RetentionRules { KeepDaily = 1 };

        Assert.Equal(2, RetentionPlanner.Plan(items, rules with { KeepDaily = 2 }, TimeZoneInfo.Utc, Now).Count(v => v.Keep));
        var paris = RetentionPlanner.Plan(items, rules with { KeepDaily = 2 }, Zone("Europe/Paris"), Now);
        Assert.Equal(["2026-11-25"], Kept(paris).Take(1));
        Assert.Contains("daily 2026-11-25", paris[0].Reasons);
        Assert.StartsWith("oldest, daily 2026-11-25", paris[1].Reasons.Single(), StringComparison.Ordinal);
        Assert.Single(RetentionPlanner.Plan(items, rules, Zone("Europe/Paris"), Now), v => v.Keep);
    }

    [Fact]
    public void Hourly_OverTheAutumnDstChange_TheRepeatedHourIsOneHour()
    {
        // Paris, 2026-10-25: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z) fall in the same local hour; 03:30 CET is the next.
        var items = new[] { Item(At("2026-10-25 00:30")), Item(At("2026-10-25 01:30")), Item(At("2026-10-25 02:30")) };

        var verdicts = RetentionPlanner.Plan(items, new RetentionRules { KeepHourly = 2 }, Zone("Europe/Paris"), Now);

        Assert.Equal([true, true, false], verdicts.Select(v => v.Keep));
        Assert.Contains("hourly 2026-10-25 03:00", verdicts[0].Reasons);
        Assert.Equal(["hourly 2026-10-25 02:00"], verdicts[1].Reasons);
    }

    [Fact]
    public void Safety_NewestAndPinnedAreKeptWhateverTheRules()
    {
        var pinned = Item(At("2025-01-01 02:00"), pinned: true);
        var items = new[] { pinned, Item(At("2025-02-01 02:00")), Item(At("2025-03-01 02:00")) };

        var verdicts = RetentionPlanner.Plan(items, new RetentionRules { MaxAgeDays = 30 }, TimeZoneInfo.Utc, Now);

        Assert.Equal([true, false, true], verdicts.Select(v => v.Keep));
        Assert.Equal(["the newest backup"], verdicts[0].Reasons);
        Assert.Equal(["older than 30 days"], verdicts[1].Reasons);
        Assert.Equal(["pinned"], verdicts[2].Reasons);
    }

    [Fact]
    public void Safety_AHoldKeepsEverything()
    {
        var items = Enumerable.Range(0, 5).Select(d => Item(Now.AddDays(-d))).ToList();
        const string hold = "the last 3 runs failed: nothing is deleted until one succeeds";

        var verdicts = RetentionPlanner.Plan(items, new RetentionRules { KeepLast = 1 }, TimeZoneInfo.Utc, Now, hold);

        Assert.All(verdicts, v => Assert.True(v.Keep));
        Assert.All(verdicts.Skip(1), v => Assert.Equal([hold], v.Reasons));
    }

    [Theory]
    [InlineData("F F F S", 3, true)]
    [InlineData("F F S F", 3, false)]
    [InlineData("F C F M F S", 3, true)] // cancelled and missed runs do not count
    [InlineData("F P F F", 3, false)] // partly succeeded: a complete copy exists
    [InlineData("F F", 3, false)]
    [InlineData("F F F", 0, false)]
    public void HoldReason_OnlyWhenTheLastFinishedRunsAllFailed(string runs, int count, bool held)
    {
        var statuses = runs.Split(' ').Select(r => r switch
        {
            "F" => BackupStatus.Failed, "S" => BackupStatus.Succeeded, "P" => BackupStatus.PartiallySucceeded,
            "C" => BackupStatus.Cancelled, _ => BackupStatus.Missed,
        });

        Assert.Equal(held, RetentionPlanner.HoldReason(statuses, count) is not null);
    }

    [Fact]
    public void PlanCopies_EachDestinationUsesItsOverrideOrThePlansRules()
    {
        var (local, s3) = (Guid.NewGuid(), Guid.NewGuid());
        var backups = Enumerable.Range(0, 5).Select(d => Item(Now.AddDays(-d))).ToList();
        var copies = backups.SelectMany(b => new[] { (local, b), (s3, b) });

        var verdicts = RetentionPlanner.PlanCopies(copies, new RetentionRules { MaxAgeDays = 90 }, new Dictionary<Guid, RetentionRules> { [local] = new() { KeepLast = 2 } }, TimeZoneInfo.Utc, Now);

        Assert.Equal(2, verdicts.Count(v => v.DestinationId == local && v.Verdict.Keep));
        Assert.Equal(5, verdicts.Count(v => v.DestinationId == s3 && v.Verdict.Keep));
    }

    [Theory]
    [InlineData(-2, 0, null, "KeepLast")]
    [InlineData(0, 100_001, null, "KeepDaily")]
    [InlineData(0, 0, 0, "MaxAgeDays")]
    [InlineData(0, 0, 40_000, "MaxAgeDays")]
    public void Validate_NamesTheWrongField(int last, int daily, int? maxAge, string field)
    {
        var errors = new RetentionRules { KeepLast = last, KeepDaily = daily, MaxAgeDays = maxAge }.Validate();

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Describe_SaysTheRulesInWords()
    {
        Assert.Equal("keep everything", new RetentionRules().Describe());
        Assert.Equal("last: 3, daily: 7, monthly: all, nothing older than 90 days",
            new RetentionRules { KeepLast = 3, KeepDaily = 7, KeepMonthly = RetentionRules.Unlimited, MaxAgeDays = 90 }.Describe());
    }

    private static DateTimeOffset At(string utc) => DateTimeOffset.ParseExact(utc, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static RetentionItem Item(DateTimeOffset time, bool pinned = false) => new(Guid.NewGuid(), time, pinned);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static IEnumerable<string> Kept(IEnumerable<RetentionVerdict> verdicts) =>
        verdicts.Where(v => v.Keep).Select(v => v.Time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static int WithReason(IEnumerable<RetentionVerdict> verdicts, string prefix) =>
        verdicts.Count(v => v.Reasons.Any(r => r.StartsWith(prefix, StringComparison.Ordinal)));
}
