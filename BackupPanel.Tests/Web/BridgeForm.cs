namespace BackupPanel.Tests.Web;

/// <summary>A form shaped like the panel's: a field, a list of objects, a dictionary of objects.</summary>
public sealed class BridgeForm
{
    public string Name { get; set; } = "";

    public List<BridgeServer> Servers { get; set; } = [new(), new()];

    public Dictionary<Guid, BridgeRules> Overrides { get; set; } = [];
}

public sealed class BridgeServer
{
    public string Host { get; set; } = "";
}

public sealed class BridgeRules
{
    public int KeepLast { get; set; }
}
