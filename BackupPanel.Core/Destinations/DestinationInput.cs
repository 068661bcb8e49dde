namespace BackupPanel.Core.Destinations;

/// <summary>The destination form.</summary>
public sealed class DestinationInput
{
    public string Name { get; set; } = "";
    public DestinationKind Kind { get; set; } = DestinationKind.Local;
    public string Path { get; set; } = "";
    public bool IsEnabled { get; set; } = true;
    public bool IsDefault { get; set; }

    public static DestinationInput From(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new DestinationInput
        {
            Name = destination.Name, Kind = destination.Kind, Path = destination.Path,
            IsEnabled = destination.IsEnabled, IsDefault = destination.IsDefault,
        };
    }
}
