namespace BackupPanel.Core.Destinations;

/// <summary>Kinds of destination. Local now; SFTP, FTP/FTPS and S3 use the same storage contract.</summary>
public enum DestinationKind
{
    /// <summary>A folder on this machine (or a mounted disk).</summary>
    Local,
}

/// <summary>Where copies of backups go: a kind, its settings, and secrets encrypted at rest.</summary>
public sealed class Destination
{
    public Guid Id { get; set; }

    /// <summary>A name people recognize ("NAS", "Offsite S3"); unique.</summary>
    public string Name { get; set; } = "";

    public DestinationKind Kind { get; set; }

    /// <summary>For Local: the absolute folder path. (Remote kinds keep host, bucket, … in their own columns.)</summary>
    public string Path { get; set; } = "";

    public bool IsEnabled { get; set; } = true;

    /// <summary>Backups started without a choice go here.</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last "test connection": when, whether it worked, and what it said.</summary>
    public DateTimeOffset? LastTestedAt { get; set; }

    public bool? LastTestSucceeded { get; set; }

    public string? LastTestMessage { get; set; }

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"{Name} ({Kind} {Path})";
}
