using BackupPanel.Core.Backups;
using BackupPanel.Core.Dashboard;
using BackupPanel.Core.Schedules;

namespace BackupPanel.Tests.Dashboard;

/// <summary>"Is it protected?" as a table: each rule, its reason, and the edges of interval + grace.</summary>
public sealed class ProtectionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlanCadence Daily = new("Nightly", TimeSpan.FromDays(1));
    private static readonly PlanCadence Hourly = new("Hourly", TimeSpan.FromHours(1));

    private static DomainProtection Assess(PlanCadence[] plans, BackupStatus? latest, double? lastGoodHoursAgo, string? error = null) =>
        ProtectionRules.Assess(Guid.Empty, "shop.example.com", plans,
            latest is { } s ? new LatestRun(s, error, Now.AddHours(-1)) : null, lastGoodHoursAgo is { } h ? Now.AddHours(-h) : null, Now);

    [Theory]
    [InlineData(new string[0], null, null, true, "No enabled plan backs it up: it is backed up only when someone clicks; it was never backed up successfully.")]
    [InlineData(new string[0], BackupStatus.Succeeded, 3.0, true, "No enabled plan backs it up: it is backed up only when someone clicks; last good backup 3 h ago.")]
    [InlineData(new[] { "daily" }, null, null, true, "Never backed up successfully yet.")]
    [InlineData(new[] { "daily" }, BackupStatus.Failed, null, true, "Never backed up successfully; the latest run failed: disk full")]
    [InlineData(new[] { "daily" }, BackupStatus.Failed, 2.0, true, "The latest run failed: disk full")]
    [InlineData(new[] { "daily" }, BackupStatus.Missed, 2.0, true, "The latest run was missed: disk full")]
    [InlineData(new[] { "daily" }, BackupStatus.PartiallySucceeded, 2.0, true, "The latest backup reached only some of its destinations")]
    [InlineData(new[] { "daily" }, BackupStatus.Succeeded, 2.0, false, "Last good backup 2 h ago.")]
    [InlineData(new[] { "daily" }, BackupStatus.Succeeded, 29.9, false, "Last good backup 29 h ago.")] // 24 h + 6 h grace
    [InlineData(new[] { "daily" }, BackupStatus.Succeeded, 30.1, true, "No successful backup for 30 h; plan Nightly runs at least every 24 h.")]
    [InlineData(new[] { "daily", "hourly" }, BackupStatus.Succeeded, 1.25, false, "Last good backup 75 min ago.")] // the tightest plan: 1 h + 15 min
    [InlineData(new[] { "daily", "hourly" }, BackupStatus.Succeeded, 1.3, true, "No successful backup for 78 min; plan Hourly runs at least every 60 min.")]
    public void Assess_EachRuleWithItsReason(string[] plans, BackupStatus? latest, double? lastGood, bool atRisk, string reason)
    {
        var cadences = plans.Select(p => p == "daily" ? Daily : Hourly).ToArray();

        var result = Assess(cadences, latest, lastGood, "disk full");

        Assert.Equal(atRisk, result.AtRisk);
        Assert.StartsWith(reason, result.Reason, StringComparison.Ordinal);
        Assert.Equal(result.Reason.StartsWith("No successful backup for", StringComparison.Ordinal), result.Overdue);
    }

    [Fact]
    public void Grace_IsAQuarterOfTheGap_AtLeastFifteenMinutes()
    {
        Assert.Equal(TimeSpan.FromHours(6), Daily.Grace);
        Assert.Equal(TimeSpan.FromMinutes(15), Hourly.Grace);
        Assert.Equal(TimeSpan.FromMinutes(15), new PlanCadence("every minute", TimeSpan.FromMinutes(1)).Grace);
    }

    [Fact]
    public void LongestGap_OfAWeekdaysCron_IsTheWeekend()
    {
        var weekdays = new Schedule { Kind = ScheduleKind.Cron, Cron = "0 2 * * 1-5", TimeZone = "Europe/Paris" };

        Assert.Equal(TimeSpan.FromDays(3), weekdays.LongestGap(Now));
        Assert.Equal(TimeSpan.FromDays(7), new Schedule { Kind = ScheduleKind.Weekly, DayOfWeek = DayOfWeek.Sunday, Hour = 3, TimeZone = "UTC" }.LongestGap(Now));
        Assert.Null(new Schedule { Kind = ScheduleKind.Cron, Cron = "not cron", TimeZone = "UTC" }.LongestGap(Now));
    }
}
