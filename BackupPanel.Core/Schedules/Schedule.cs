using System.Globalization;
using Cronos;

namespace BackupPanel.Core.Schedules;

/// <summary>How a plan's schedule is given: a preset, or a five-field cron expression.</summary>
public enum ScheduleKind
{
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Cron,
}

/// <summary>
/// When a plan runs, in its own IANA time zone (docs/SCHEDULES.md). Presets become cron expressions, so Hangfire and
/// the editor's "next runs" use one rule (Cronos): a time skipped by a DST change runs at the change, a time that
/// happens twice runs once. Hourly runs follow real hours: they are kept in UTC at the zone's minute, so a DST change
/// neither adds a run (03:00 after a skipped 02:30) nor drops one.
/// </summary>
public sealed record Schedule
{
    /// <summary><see cref="DayOfMonth"/> for "the last day of the month".</summary>
    public const int LastDayOfMonth = -1;

    private const int MaxCronLength = 120;

    public ScheduleKind Kind { get; set; } = ScheduleKind.Daily;

    /// <summary>Minute of the hour, 0–59 (every preset).</summary>
    public int Minute { get; set; }

    /// <summary>Hour of the day, 0–23 (daily, weekly, monthly).</summary>
    public int Hour { get; set; } = 2;

    /// <summary>Weekly: the day.</summary>
    public DayOfWeek DayOfWeek { get; set; } = DayOfWeek.Sunday;

    /// <summary>Monthly: 1–28 (every month has it), or <see cref="LastDayOfMonth"/>.</summary>
    public int DayOfMonth { get; set; } = 1;

    /// <summary>Cron: minute hour day-of-month month day-of-week.</summary>
    public string? Cron { get; set; }

    /// <summary>IANA time zone name, e.g. Europe/Paris.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The schedule as a five-field cron expression.</summary>
    public string ToCron() => Kind switch
    {
        ScheduleKind.Hourly => Invariant($"{Minute} * * * *"),
        ScheduleKind.Daily => Invariant($"{Minute} {Hour} * * *"),
        ScheduleKind.Weekly => Invariant($"{Minute} {Hour} * * {(int)DayOfWeek}"),
        ScheduleKind.Monthly => Invariant($"{Minute} {Hour} {(DayOfMonth == LastDayOfMonth ? "L" : DayOfMonth.ToString(CultureInfo.InvariantCulture))} * *"),
        _ => string.Join(' ', (Cron ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
    };

    /// <summary>The cron expression and time zone the scheduler runs (see the class summary for hourly runs).</summary>
    public (string Cron, TimeZoneInfo Zone) Trigger()
    {
        var zone = Zone();
        return Kind == ScheduleKind.Hourly ? (HourlyInUtc(zone), TimeZoneInfo.Utc) : (ToCron(), zone);
    }

    /// <summary>What is wrong, per field (<c>Minute</c>, <c>Hour</c>, <c>DayOfMonth</c>, <c>Cron</c>, <c>TimeZone</c>), in words; empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!TryZone(out _))
        {
            errors[nameof(TimeZone)] = TimeZone.Length is 0 or > 64
                ? "Choose a time zone, e.g. Europe/Paris or UTC."
                : $"'{TimeZone}' is not a time zone this server knows. Use an IANA name such as Europe/Paris, America/New_York or UTC.";
        }

        if (Kind == ScheduleKind.Cron)
        {
            if (TryParse(out var error) is null)
            {
                errors[nameof(Cron)] = error;
            }
            else if (errors.Count == 0 && NextRuns(DateTimeOffset.UtcNow, 1).Count == 0)
            {
                errors[nameof(Cron)] = "This schedule never runs (no such date). Check the day and month fields.";
            }

            return errors;
        }

        if (Minute is < 0 or > 59)
        {
            errors[nameof(Minute)] = "The minute is 0 to 59.";
        }

        if (Kind != ScheduleKind.Hourly && Hour is < 0 or > 23)
        {
            errors[nameof(Hour)] = "The hour is 0 to 23.";
        }

        if (Kind == ScheduleKind.Monthly && DayOfMonth != LastDayOfMonth && DayOfMonth is < 1 or > 28)
        {
            errors[nameof(DayOfMonth)] = "Choose day 1 to 28 (every month has it) or the last day of the month.";
        }

        return errors;
    }

    /// <summary>The schedule in words, as the plan editor and the plans list show it.</summary>
    public string Describe()
    {
        var at = Invariant($"{Hour:00}:{Minute:00}");
        var words = Kind switch
        {
            ScheduleKind.Hourly => Invariant($"Every hour at :{Minute:00}"),
            ScheduleKind.Daily => $"Every day at {at}",
            ScheduleKind.Weekly => $"Every {DayOfWeek} at {at}",
            ScheduleKind.Monthly when DayOfMonth == LastDayOfMonth => $"On the last day of every month at {at}",
            ScheduleKind.Monthly => Invariant($"On day {DayOfMonth} of every month at {at}"),
            _ => $"On the cron schedule \"{ToCron()}\"",
        };
        return $"{words}, {TimeZone}";
    }

    /// <summary>The next <paramref name="count"/> run times after <paramref name="after"/> (empty when the schedule is invalid or never runs).</summary>
    public IReadOnlyList<DateTimeOffset> NextRuns(DateTimeOffset after, int count)
    {
        var runs = new List<DateTimeOffset>(count);
        if (TryTrigger() is not ({ } cron, { } zone))
        {
            return runs;
        }

        var from = after;
        while (runs.Count < count && cron.GetNextOccurrence(from, zone) is { } next)
        {
            runs.Add(next);
            from = next;
        }

        return runs;
    }

    /// <summary>
    /// The longest wait between two runs over the next 30 (a weekdays-only cron waits over the weekend): what a domain's
    /// "no successful backup for too long" is measured against. Null when the schedule is invalid or runs once at most.
    /// </summary>
    public TimeSpan? LongestGap(DateTimeOffset from)
    {
        var runs = NextRuns(from, 30);
        return runs.Count < 2 ? null : runs.Zip(runs.Skip(1), (a, b) => b - a).Max();
    }

    /// <summary>The last run time at or before <paramref name="at"/>, or null (invalid, or never ran before).</summary>
    public DateTimeOffset? PreviousRun(DateTimeOffset at) =>
        TryTrigger() is ({ } cron, { } zone) ? cron.GetPreviousOccurrence(at, zone, inclusive: true) : null;

    /// <summary>The time zone; throws when <see cref="Validate"/> would not pass.</summary>
    public TimeZoneInfo Zone() => TryZone(out var zone) ? zone : throw new InvalidOperationException($"Unknown time zone '{TimeZone}'.");

    /// <summary>The parsed expression and zone the scheduler runs, or null when the schedule is invalid.</summary>
    private (CronExpression Cron, TimeZoneInfo Zone)? TryTrigger()
    {
        if (TryParse(out _) is not { } cron || !TryZone(out var zone))
        {
            return null;
        }

        return Kind == ScheduleKind.Hourly ? (CronExpression.Parse(HourlyInUtc(zone), CronFormat.Standard), TimeZoneInfo.Utc) : (cron, zone);
    }

    /// <summary>Hourly runs at the zone's minute, in UTC: the minute is the same in standard and summer time.</summary>
    private string HourlyInUtc(TimeZoneInfo zone) => Invariant($"{(((Minute - zone.BaseUtcOffset.Minutes) % 60) + 60) % 60} * * * *");

    private bool TryZone(out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        return TimeZone.Length is > 0 and <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out zone!) && zone.HasIanaId;
    }

    private CronExpression? TryParse(out string error)
    {
        error = "";
        var text = ToCron();
        if (Kind == ScheduleKind.Cron && (text.Length == 0 || text.Length > MaxCronLength || text.Split(' ').Length != 5))
        {
            error = "Use five fields: minute hour day-of-month month day-of-week, e.g. \"30 2 * * *\" for 02:30 every day.";
            return null;
        }

        try
        {
            return CronExpression.Parse(text, CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            error = $"Not a valid cron expression: {ex.Message.TrimEnd('.')}. Fields: minute hour day-of-month month day-of-week.";
            return null;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
