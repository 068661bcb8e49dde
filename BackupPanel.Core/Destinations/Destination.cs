using BackupPanel.Core.Destinations.Kinds.Local;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// Where copies of backups go: a kind (<see cref="DestinationKinds"/>) and that kind's settings, stored as one JSON
/// column with every secret as Data Protection ciphertext.
/// </summary>
public sealed class Destination
{
    private DestinationSettings? _settings;

    public Guid Id { get; set; }

    /// <summary>A name people recognize ("NAS", "Offsite S3"); unique.</summary>
    public string Name { get; set; } = "";

    /// <summary>The kind's name ("Local", "Sftp", "Ftp", "S3"): which <see cref="DestinationKind"/> reads the settings.</summary>
    public string Kind { get; private set; } = LocalKind.KindName;

    /// <summary>The settings as stored (JSON, the <c>Settings</c> column); read and written through <see cref="Settings"/>.</summary>
    public string SettingsJson { get; private set; } = "{}";

    /// <summary>The kind's typed settings; setting them sets the kind too.</summary>
    public DestinationSettings Settings
    {
        get => _settings ??= DestinationKinds.Get(Kind).Read(SettingsJson);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            (Kind, SettingsJson, _settings) = (value.Kind, DestinationKinds.Get(value.Kind).Write(value), value);
        }
    }

    /// <summary>A folder on this machine: components are written there first, then copied to the run's other destinations.</summary>
    public bool IsLocal => Kind == LocalKind.KindName;

    public bool IsEnabled { get; set; } = true;

    /// <summary>Backups started without a choice go here.</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last "test connection": when, whether it worked, what it said, and how long it took.</summary>
    public DateTimeOffset? LastTestedAt { get; set; }

    public bool? LastTestSucceeded { get; set; }

    public string? LastTestMessage { get; set; }

    public int? LastTestMilliseconds { get; set; }

    /// <summary>Where it points, for people (no secret): a folder, an sftp:// or ftp(s):// address, or s3://bucket/prefix.</summary>
    public string Where => Settings.Where;

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"{Name} ({Kind} {Where})";
}
