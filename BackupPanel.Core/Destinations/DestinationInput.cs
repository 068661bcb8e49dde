using BackupPanel.Core.Destinations.Kinds.Local;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// The destination form: a name, the flags, and the chosen kind's own form (<see cref="Settings"/>; its type says
/// the kind). Secrets are write-only: empty means "keep the stored one".
/// </summary>
public sealed class DestinationInput
{
    public string Name { get; set; } = "";

    /// <summary>The kind's form: <see cref="DestinationKind.NewInput"/> for a new destination, <see cref="DestinationKind.InputFrom"/> to edit one.</summary>
    public DestinationKindInput Settings { get; set; } = new LocalInput();

    public bool IsEnabled { get; set; } = true;

    public bool IsDefault { get; set; }

    /// <summary>The chosen kind's name.</summary>
    public string Kind => Settings?.Kind ?? "";

    public static DestinationInput From(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new DestinationInput
        {
            Name = destination.Name, IsEnabled = destination.IsEnabled, IsDefault = destination.IsDefault,
            Settings = DestinationKinds.Get(destination.Kind).InputFrom(destination.Settings),
        };
    }
}
