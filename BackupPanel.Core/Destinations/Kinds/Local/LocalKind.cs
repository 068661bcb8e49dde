using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Destinations.Kinds.Local;

/// <summary>A folder on this machine (or a mounted disk).</summary>
public sealed record LocalSettings(string Path) : DestinationSettings
{
    public override string Kind => LocalKind.KindName;

    public override string Where => Path;
}

/// <summary>The Local form: the folder.</summary>
public sealed class LocalInput : DestinationKindInput
{
    public override string Kind => LocalKind.KindName;

    public string Path { get; set; } = "";
}

/// <summary>A folder on this machine: an absolute path of its own (not '/', no '..').</summary>
public sealed class LocalKind : DestinationKind<LocalSettings, LocalInput>
{
    /// <summary>The name stored in the destination's row.</summary>
    public const string KindName = "Local";

    public override string Name => KindName;

    public override string DisplayName => "Local folder";

    public override string Description => "Local folder (or mounted disk)";

    public override bool IsRemote => false;

    protected override LocalInput InputFrom(LocalSettings stored) => new() { Path = stored.Path };

    protected override LocalSettings? Validate(LocalInput input, LocalSettings? stored, Func<string, string> protect, IDictionary<string, string> errors)
    {
        input.Path = input.Path?.Trim() ?? "";
        if (input.Path.Length is 0 or > 4096 || input.Path.Any(char.IsControl) || !System.IO.Path.IsPathFullyQualified(input.Path))
        {
            errors[nameof(input.Path)] = "Enter the absolute path of a folder, such as /var/backups/panel.";
            return null;
        }

        if (System.IO.Path.TrimEndingDirectorySeparator(input.Path) == "/" || input.Path.Split('/').Contains(".."))
        {
            errors[nameof(input.Path)] = "Choose a folder of its own: not '/' and without '..'.";
            return null;
        }

        input.Path = System.IO.Path.TrimEndingDirectorySeparator(input.Path);
        return new LocalSettings(input.Path);
    }

    protected override IStorageBackend Open(LocalSettings settings, DestinationOpening opening) => new LocalStorageBackend(settings.Path);
}
