namespace BackupPanel.Core.Plans;

/// <summary>
/// Which backups to keep, restic's <c>forget</c> rules (docs/SCHEDULES.md): each count keeps the newest backup of that
/// many of the latest hours, days, ISO weeks, months or years that have one; 0 turns a rule off and
/// <see cref="Unlimited"/> keeps one per period forever. A backup kept by any rule stays. <see cref="MaxAgeDays"/>
/// then deletes what is older, whatever kept it. With no rule at all nothing is deleted.
/// </summary>
public sealed record RetentionRules
{
    /// <summary>A count that never runs out.</summary>
    public const int Unlimited = -1;

    public int KeepLast { get; set; }

    public int KeepHourly { get; set; }

    public int KeepDaily { get; set; }

    public int KeepWeekly { get; set; }

    public int KeepMonthly { get; set; }

    public int KeepYearly { get; set; }

    /// <summary>Backups older than this many days are deleted (null: no limit).</summary>
    public int? MaxAgeDays { get; set; }

    /// <summary>True when any count rule is set.</summary>
    public bool HasKeepRules => KeepLast != 0 || KeepHourly != 0 || KeepDaily != 0 || KeepWeekly != 0 || KeepMonthly != 0 || KeepYearly != 0;

    /// <summary>True when no rule is set: such a policy deletes nothing.</summary>
    public bool IsEmpty => !HasKeepRules && MaxAgeDays is null;

    /// <summary>The rules' problems in words, one per field (empty when valid).</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Counts())
        {
            if (value < Unlimited)
            {
                errors[name] = "Use a number of 0 or more (0 turns the rule off), or -1 for unlimited.";
            }
            else if (value > 100_000)
            {
                errors[name] = "At most 100,000.";
            }
        }

        if (MaxAgeDays is < 1 or > 36_500)
        {
            errors[nameof(MaxAgeDays)] = "Use 1 to 36,500 days, or leave it empty for no limit.";
        }

        return errors;
    }

    /// <summary>The rules in words, as the plan editor and the preview show them.</summary>
    public string Describe()
    {
        if (IsEmpty)
        {
            return "keep everything";
        }

        var parts = Counts().Where(c => c.Value != 0)
            .Select(c => c.Value == Unlimited ? $"{Label(c.Key)}: all" : $"{Label(c.Key)}: {c.Value}")
            .ToList();
        if (MaxAgeDays is { } days)
        {
            parts.Add($"nothing older than {days} day{(days == 1 ? "" : "s")}");
        }

        return string.Join(", ", parts);
    }

    private IEnumerable<KeyValuePair<string, int>> Counts() =>
    [
        new(nameof(KeepLast), KeepLast), new(nameof(KeepHourly), KeepHourly), new(nameof(KeepDaily), KeepDaily),
        new(nameof(KeepWeekly), KeepWeekly), new(nameof(KeepMonthly), KeepMonthly), new(nameof(KeepYearly), KeepYearly),
    ];

    private static string Label(string field) => field switch
    {
        nameof(KeepLast) => "last",
        nameof(KeepHourly) => "hourly",
        nameof(KeepDaily) => "daily",
        nameof(KeepWeekly) => "weekly",
        nameof(KeepMonthly) => "monthly",
        _ => "yearly",
    };
}
