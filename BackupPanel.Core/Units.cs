using System.Globalization;

namespace BackupPanel.Core;

/// <summary>Sizes and durations in words, the same on the pages and in notifications.</summary>
public static class Units
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>"512 B", "3.0 GiB".</summary>
    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < ByteUnits.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B") : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {ByteUnits[unit]}");
    }

    /// <summary>"2 h 5 min", "3 min 12 s", "4.2 s".</summary>
    public static string Duration(TimeSpan d) => d.TotalHours >= 1
        ? $"{(int)d.TotalHours} h {d.Minutes} min"
        : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes} min {d.Seconds} s" : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, d.TotalSeconds):0.0} s");
}
