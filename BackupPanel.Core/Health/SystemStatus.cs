namespace BackupPanel.Core.Health;

/// <summary>What the dashboard and /readyz report about the panel itself. Never holds a connection string.</summary>
public sealed record SystemStatus(
    string Version,
    string NodeRole,
    bool DatabaseOk,
    string DatabaseDescription,
    bool JobsOk,
    IReadOnlyList<JobServerInfo> JobServers,
    string? Problem);

/// <summary>One Hangfire server (node) seen in the shared job storage.</summary>
public sealed record JobServerInfo(string Name, int Workers, IReadOnlyList<string> Queues, DateTimeOffset? Heartbeat);
