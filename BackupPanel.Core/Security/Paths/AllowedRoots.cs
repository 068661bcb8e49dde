namespace BackupPanel.Core.Security.Paths;

/// <summary>What a path is for: the lists it must lie under differ.</summary>
public enum PathUse
{
    /// <summary>Domain roots, restore targets, import targets and server-path import sources.</summary>
    Data,

    /// <summary>Local destinations.</summary>
    Destination,
}

/// <summary>
/// The panel's one row of allowed roots (Administration → Security, Admin only): the folders under which the panel may
/// read and write for domains, and the folders local destinations may use. Whatever the lists say, the folders of
/// <see cref="PathRules.Forbidden"/> are never allowed.
/// </summary>
public sealed class AllowedRoots
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Where domain roots, restore targets, import targets and server-path import sources may lie.</summary>
    public List<string> DataRoots { get; set; } = [];

    /// <summary>Where local destinations may lie.</summary>
    public List<string> DestinationRoots { get; set; } = [];

    /// <summary>Addresses, networks (CIDR) or host names in the panel's own network that webhooks and pings may call nonetheless.</summary>
    public List<string> PrivateAddresses { get; set; } = [];

    /// <summary>What an upgrade added so that what the panel used kept working (shown to Admins until they save).</summary>
    public string? UpgradeNote { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The list for <paramref name="use"/>.</summary>
    public IReadOnlyList<string> For(PathUse use) => use == PathUse.Data ? DataRoots : DestinationRoots;
}
