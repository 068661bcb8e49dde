namespace BackupPanel.Core.Restore.Bulk;

/// <summary>
/// A bulk restore's choices in words, built from what was actually chosen: only the parts picked, each with where it
/// goes, and a warning only for what is replaced in place. The page's summary, its confirmation and the audit log
/// all read these, so they never say more (or less) than the batch does.
/// </summary>
public static class BulkRestoreWords
{
    /// <summary>"files and mail under /srv/r/DOMAIN; databases into NAME_restored", for the summary and the audit log.</summary>
    public static string Targets(RestoreBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var parts = new List<string>();
        if (Trees(batch) is { } trees)
        {
            parts.Add(batch.AlternateRoot is null ? $"{trees} to their original places" : $"{trees} under {batch.AlternateRoot}/DOMAIN");
        }

        if (batch.Databases)
        {
            parts.Add(batch.DatabaseSuffix is null ? "databases into their own" : $"databases into NAME{batch.DatabaseSuffix}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>What the confirmation warns about: what is replaced at the original places, or null when nothing is.</summary>
    public static string? ReplacedInPlace(RestoreBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.DryRun)
        {
            return null;
        }

        var replaced = new List<string>();
        if (batch.AlternateRoot is null && Trees(batch) is { } trees)
        {
            replaced.Add(trees);
        }

        if (batch.Databases && batch.DatabaseSuffix is null)
        {
            replaced.Add("databases");
        }

        if (replaced.Count == 0)
        {
            return null;
        }

        var what = replaced.Count == 1 ? replaced[0] : $"{replaced[0]} and {replaced[1]}";
        return $"{char.ToUpperInvariant(what[0])}{what[1..]} at the original places are replaced{(batch.SafetyBackup ? " after a safety backup of each." : ".")}";
    }

    private static string? Trees(RestoreBatch batch) => (batch.Files, batch.Mail) switch
    {
        (true, true) => "files and mail",
        (true, false) => "files",
        (false, true) => "mail",
        _ => null,
    };
}
