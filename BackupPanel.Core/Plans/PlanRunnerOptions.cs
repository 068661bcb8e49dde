using System.ComponentModel.DataAnnotations;

namespace BackupPanel.Core.Plans;

/// <summary>How late a scheduled run may start and still run (key <c>BackupPanel:CatchUpWindowHours</c>, docs/CONFIGURATION.md).</summary>
public sealed class PlanRunnerOptions
{
    public const string Section = "BackupPanel";

    /// <summary>A plan's run that starts this many hours after its time or more (the panel was down) is recorded as Missed instead.</summary>
    [Range(1, 168)]
    public int CatchUpWindowHours { get; set; } = 6;

    public TimeSpan CatchUpWindow => TimeSpan.FromHours(CatchUpWindowHours);
}
