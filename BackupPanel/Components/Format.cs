using System.Globalization;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Import;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Restore.Bulk;
using MudBlazor;

namespace BackupPanel.Components;

/// <summary>How numbers, times and states read on the pages.</summary>
public static class Format
{
    public static string Bytes(long bytes) => Core.Units.Bytes(bytes);

    public static string Engine(BackupPanel.Core.Databases.DatabaseEngine engine) =>
        engine == BackupPanel.Core.Databases.DatabaseEngine.PostgreSql ? "PostgreSQL" : "MySQL/MariaDB";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    public static string Duration(DateTimeOffset? from, DateTimeOffset? to)
    {
        return from is null || to is null ? "—" : Core.Units.Duration(to.Value - from.Value);
    }

    public static Color Of(BackupStatus status) => status switch
    {
        BackupStatus.Succeeded => Color.Success,
        BackupStatus.PartiallySucceeded => Color.Warning,
        BackupStatus.Failed or BackupStatus.Missed => Color.Error,
        BackupStatus.Skipped => Color.Warning,
        BackupStatus.Running or BackupStatus.Queued => Color.Info,
        _ => Color.Default,
    };

    public static Color Of(RestoreStatus status) => status switch
    {
        RestoreStatus.Succeeded => Color.Success,
        RestoreStatus.Failed => Color.Error,
        RestoreStatus.Running or RestoreStatus.Queued => Color.Info,
        _ => Color.Default,
    };

    public static Color Of(RestoreBatchStatus status) => status switch
    {
        RestoreBatchStatus.Finished => Color.Success,
        RestoreBatchStatus.Cancelled => Color.Warning,
        RestoreBatchStatus.Running or RestoreBatchStatus.Checking => Color.Info,
        _ => Color.Default,
    };

    public static Color Of(ImportStatus status) => status switch
    {
        ImportStatus.Succeeded => Color.Success,
        ImportStatus.Failed or ImportStatus.Refused => Color.Error,
        ImportStatus.PartiallySucceeded => Color.Warning,
        ImportStatus.Inspecting or ImportStatus.Queued or ImportStatus.Running => Color.Info,
        _ => Color.Default,
    };

    public static Color Of(RestoreItemStatus status) => status switch
    {
        RestoreItemStatus.Succeeded => Color.Success,
        RestoreItemStatus.Failed => Color.Error,
        RestoreItemStatus.Running => Color.Info,
        RestoreItemStatus.Skipped or RestoreItemStatus.Cancelled => Color.Warning,
        _ => Color.Default,
    };

    public static Color Of(PreflightLevel? level) => level switch
    {
        PreflightLevel.Ok => Color.Success,
        PreflightLevel.Warning => Color.Warning,
        PreflightLevel.Error => Color.Error,
        _ => Color.Default,
    };

    /// <summary>"12.3 MiB of 40.0 MiB · 8.1 MiB/s · about 3 s left", as much as is known.</summary>
    public static string Progress(long done, long? total, DateTimeOffset? startedAt, DateTimeOffset now)
    {
        var text = total is > 0 ? $"{Bytes(done)} of {Bytes(total.Value)}" : Bytes(done);
        var seconds = startedAt is null ? 0 : (now - startedAt.Value).TotalSeconds;
        if (seconds < 1 || done <= 0) return text;
        var rate = done / seconds;
        text += $" · {Bytes((long)rate)}/s";
        if (total is > 0 && total > done) text += $" · about {Duration(now, now.AddSeconds((total.Value - done) / rate))} left";
        return text;
    }
}
