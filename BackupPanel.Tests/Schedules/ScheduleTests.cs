using System.Globalization;
using BackupPanel.Core.Schedules;

namespace BackupPanel.Tests.Schedules;

/// <summary>Schedules: presets as cron, in words, the next runs in the plan's time zone across DST changes, and bad input.</summary>
public sealed class ScheduleTests
{
    [Theory]
    [InlineData(ScheduleKind.Hourly, "15 * * * *", "Every hour at :15, Europe/Paris")]
    [InlineData(ScheduleKind.Daily, "15 3 * * *", "Every day at 03:15, Europe/Paris")]
    [InlineData(ScheduleKind.Weekly, "15 3 * * 3", "Every Wednesday at 03:15, Europe/Paris")]
    [InlineData(ScheduleKind.Monthly, "15 3 7 * *", "On day 7 of every month at 03:15, Europe/Paris")]
    public void Presets_BecomeCronAndWords(ScheduleKind kind, string cron, string words)
    {
        var schedule = new Schedule { Kind = kind, Minute = 15, Hour = 3, DayOfWeek = DayOfWeek.Wednesday, DayOfMonth = 7, TimeZone = "Europe/Paris" };

        Assert.Equal(cron, schedule.ToCron());
        Assert.Equal(words, schedule.Describe());
        Assert.Empty(schedule.Validate());
    }

    [Fact]
    public void Monthly_LastDay_RunsOnEachMonthsLastDay()
    {
        var schedule = new Schedule { Kind = ScheduleKind.Monthly, DayOfMonth = Schedule.LastDayOfMonth, Hour = 23, Minute = 0 };

        Assert.Equal("On the last day of every month at 23:00, UTC", schedule.Describe());
        Assert.Equal(["2027-01-31", "2027-02-28", "2027-03-31"], schedule.NextRuns(At("2027-01-01T00:00:00Z"), 3).Select(r => r.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Cron_IsNormalisedAndDescribed()
    {
        var schedule = new Schedule { Kind = ScheduleKind.Cron, Cron = "  */15   9-17 * *  1-5 ", TimeZone = "America/New_York" };

        Assert.Equal("*/15 9-17 * * 1-5", schedule.ToCron());
        Assert.Equal("On the cron schedule \"*/15 9-17 * * 1-5\", America/New_York", schedule.Describe());
        Assert.Equal([At("2026-11-30T14:00:00Z"), At("2026-11-30T14:15:00Z")], schedule.NextRuns(At("2026-11-28T12:00:00Z"), 2));
    }

    [Fact]
    public void Daily_InItsTimeZone_NextFiveRuns()
    {
        var schedule = new Schedule { Kind = ScheduleKind.Daily, Hour = 2, Minute = 30, TimeZone = "Europe/Paris" };

        var runs = schedule.NextRuns(At("2026-12-03T12:00:00Z"), 5);

        Assert.Equal(5, runs.Count);
        Assert.All(runs, r => Assert.Equal("02:30", TimeZoneInfo.ConvertTime(r, schedule.Zone()).ToString("HH:mm", CultureInfo.InvariantCulture)));
        Assert.Equal(At("2026-12-04T01:30:00Z"), runs[0]);
    }

    [Fact]
    public void Daily_AtATimeTheSpringChangeSkips_RunsOnceAtTheChange()
    {
        // Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day.
        var schedule = new Schedule { Kind = ScheduleKind.Daily, Hour = 2, Minute = 30, TimeZone = "Europe/Paris" };

        var runs = schedule.NextRuns(At("2026-03-27T12:00:00Z"), 3);

        Assert.Equal([At("2026-03-28T01:30:00Z"), At("2026-03-29T01:00:00Z"), At("2026-03-30T00:30:00Z")], runs);
    }

    [Fact]
    public void Daily_AtATimeTheAutumnChangeRepeats_RunsOnce()
    {
        // Paris, 2026-10-25: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice.
        var schedule = new Schedule { Kind = ScheduleKind.Daily, Hour = 2, Minute = 30, TimeZone = "Europe/Paris" };

        var runs = schedule.NextRuns(At("2026-10-24T12:00:00Z"), 2);

        Assert.Equal([At("2026-10-25T00:30:00Z"), At("2026-10-26T01:30:00Z")], runs);
    }

    [Fact]
    public void Hourly_AcrossBothChanges_RunsEveryRealHour()
    {
        var schedule = new Schedule { Kind = ScheduleKind.Hourly, Minute = 30, TimeZone = "Europe/Paris" };

        foreach (var start in new[] { At("2026-03-28T22:00:00Z"), At("2026-10-24T22:00:00Z") })
        {
            var runs = schedule.NextRuns(start, 8);

            Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(1), pair.Second - pair.First));
        }
    }

    [Theory]
    [InlineData("Asia/Kolkata", 15, "45 * * * *")] // UTC+05:30
    [InlineData("Europe/Paris", 15, "15 * * * *")]
    public void Hourly_RunsInUtcAtTheZonesMinute(string zone, int minute, string utcCron)
    {
        var schedule = new Schedule { Kind = ScheduleKind.Hourly, Minute = minute, TimeZone = zone };

        Assert.Equal((utcCron, TimeZoneInfo.Utc), schedule.Trigger());
        Assert.All(schedule.NextRuns(DateTimeOffset.UtcNow, 3), r => Assert.Equal(minute, TimeZoneInfo.ConvertTime(r, schedule.Zone()).Minute));
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * * *")]
    [InlineData("0 0 * * * *")]
    [InlineData("every day")]
    [InlineData("")]
    [InlineData("0 0 ? * MON#9")]
    public void Cron_Invalid_GivesAClearMessageAtTheField(string cron)
    {
        var errors = new Schedule { Kind = ScheduleKind.Cron, Cron = cron }.Validate();

        Assert.Equal(["Cron"], errors.Keys);
        Assert.Contains("minute hour day-of-month month day-of-week", errors["Cron"], StringComparison.Ordinal);
    }

    [Fact]
    public void Cron_Huge_IsRefusedWithoutEchoingIt()
    {
        var huge = string.Join(' ', Enumerable.Repeat(new string('1', 20_000), 5));

        var errors = new Schedule { Kind = ScheduleKind.Cron, Cron = huge }.Validate();

        Assert.True(errors["Cron"].Length < 200);
        Assert.Empty(new Schedule { Kind = ScheduleKind.Cron, Cron = huge }.NextRuns(DateTimeOffset.UtcNow, 5));
    }

    [Fact]
    public void Cron_ThatNeverRuns_IsRefused()
    {
        var errors = new Schedule { Kind = ScheduleKind.Cron, Cron = "0 0 30 2 *" }.Validate();

        Assert.Contains("never runs", errors["Cron"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("Romance Standard Time")]
    public void TimeZone_Unknown_GivesAClearMessageAtTheField(string zone)
    {
        var errors = new Schedule { TimeZone = zone }.Validate();

        Assert.Equal(["TimeZone"], errors.Keys);
        Assert.Contains("time zone", errors["TimeZone"], StringComparison.Ordinal);
        Assert.Empty(new Schedule { TimeZone = zone }.NextRuns(DateTimeOffset.UtcNow, 1));
    }

    [Theory]
    [InlineData(ScheduleKind.Daily, 60, 2, 1, "Minute")]
    [InlineData(ScheduleKind.Daily, 0, 24, 1, "Hour")]
    [InlineData(ScheduleKind.Monthly, 0, 2, 31, "DayOfMonth")]
    [InlineData(ScheduleKind.Monthly, 0, 2, 0, "DayOfMonth")]
    public void Presets_OutOfRange_NameTheField(ScheduleKind kind, int minute, int hour, int day, string field)
    {
        var errors = new Schedule { Kind = kind, Minute = minute, Hour = hour, DayOfMonth = day }.Validate();

        Assert.Equal([field], errors.Keys);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
