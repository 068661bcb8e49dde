using BackupPanel.Core.Backups;

namespace BackupPanel.Core.Dashboard;

/// <summary>
/// A domain's answer to "is it protected?", with the reason in one sentence. <c>Overdue</c>: at risk because the last
/// good backup is older than its plans allow (the case the at-risk email is about; failures have their own emails).
/// </summary>
public sealed record DomainProtection(Guid DomainId, string DomainName, bool AtRisk, string Reason, DateTimeOffset? LastSuccess, bool Overdue = false);

/// <summary>A plan as protection sees it: its name and the longest it should ever go without running.</summary>
public sealed record PlanCadence(string Name, TimeSpan LongestGap)
{
    /// <summary>How long after a run was due it may still be missing before the domain is at risk: a quarter of the gap, at least 15 minutes.</summary>
    public TimeSpan Grace => LongestGap / 4 > MinimumGrace ? LongestGap / 4 : MinimumGrace;

    public static readonly TimeSpan MinimumGrace = TimeSpan.FromMinutes(15);
}

/// <summary>The latest finished run of a domain that says something about its protection (not skipped or cancelled).</summary>
public sealed record LatestRun(BackupStatus Status, string? Error, DateTimeOffset At);

/// <summary>
/// The rules, as one pure function: a domain is protected when an enabled plan backs it up, its latest run succeeded,
/// and its last good backup is younger than its most frequent plan's longest gap plus grace. Anything else is at
/// risk, and the reason says which rule failed. Tested as a table (ProtectionTests).
/// </summary>
public static class ProtectionRules
{
    public static DomainProtection Assess(Guid domainId, string name, IReadOnlyList<PlanCadence> plans, LatestRun? latest, DateTimeOffset? lastSuccess, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plans);
        DomainProtection Risk(string reason, bool overdue = false) => new(domainId, name, true, reason, lastSuccess, overdue);
        if (plans.Count == 0)
        {
            return Risk("No enabled plan backs it up: it is backed up only when someone clicks; " +
                (lastSuccess is { } at ? $"last good backup {Words(now - at)} ago." : "it was never backed up successfully."));
        }

        if (lastSuccess is null)
        {
            return latest is { Status: BackupStatus.Failed or BackupStatus.Missed }
                ? Risk($"Never backed up successfully; the latest run {Verb(latest.Status)}{ErrorPart(latest)}")
                : Risk("Never backed up successfully yet.");
        }

        switch (latest?.Status)
        {
            case BackupStatus.Failed or BackupStatus.Missed:
                return Risk($"The latest run {Verb(latest.Status)}{ErrorPart(latest)}");
            case BackupStatus.PartiallySucceeded:
                return Risk($"The latest backup reached only some of its destinations{ErrorPart(latest)}");
        }

        var tightest = plans.MinBy(p => p.LongestGap)!;
        var age = now - lastSuccess.Value;
        if (age > tightest.LongestGap + tightest.Grace)
        {
            return Risk($"No successful backup for {Words(age)}; plan {tightest.Name} runs at least every {Words(tightest.LongestGap)}.", overdue: true);
        }

        return new DomainProtection(domainId, name, false, $"Last good backup {Words(age)} ago.", lastSuccess);
    }

    private static string Verb(BackupStatus status) => status == BackupStatus.Missed ? "was missed" : "failed";

    private static string ErrorPart(LatestRun run) => run.Error is { Length: > 0 } e ? ": " + (e.Length > 200 ? e[..200] + "…" : e) : ".";

    /// <summary>"3 days", "5 h", "12 min".</summary>
    public static string Words(TimeSpan t) => t.TotalDays >= 2 ? $"{(int)t.TotalDays} days"
        : t.TotalHours >= 2 ? $"{(int)t.TotalHours} h"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min" : "less than a minute";
}
