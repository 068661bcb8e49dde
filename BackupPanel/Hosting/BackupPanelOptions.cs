using System.ComponentModel.DataAnnotations;

namespace BackupPanel.Hosting;

/// <summary>The <c>BackupPanel</c> configuration section (see appsettings.example.json and docs/CONFIGURATION.md).</summary>
public sealed class BackupPanelOptions
{
    public const string Section = "BackupPanel";

    /// <summary>All (web + jobs), Web (pages only) or Worker (jobs only).</summary>
    [Required, RegularExpression("^(All|Web|Worker)$", ErrorMessage = "BackupPanel:Role must be All, Web or Worker.")]
    public string Role { get; set; } = NodeRoles.All;

    /// <summary>Where the panel keeps its state (the embedded database, keys). Empty: a per-user default.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Where runs without a Local destination stage one component at a time before copying it to the remote
    /// destinations. Empty: &lt;DataDirectory&gt;/spool.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>The key file that seals the Data Protection key ring at rest. Empty: &lt;DataDirectory&gt;/keyring.key.</summary>
    public string? KeyRingKeyFile { get; set; }

    /// <summary>The key file actually used.</summary>
    public string ResolveKeyRingKeyFile() =>
        string.IsNullOrWhiteSpace(KeyRingKeyFile) ? Path.Combine(ResolveDataDirectory(), "keyring.key") : Path.GetFullPath(KeyRingKeyFile);

    /// <summary>Port of the embedded PostgreSQL; 0 picks a free loopback port at each start.</summary>
    [Range(0, 65535)]
    public int EmbeddedDatabasePort { get; set; }

    /// <summary>How often a node that runs jobs looks for runs whose node died (a backup is then queued again).</summary>
    [Range(1, 3600)]
    public int InterruptedRunSweepSeconds { get; set; } = 60;

    /// <summary>A database dump that sends nothing for this long is stopped as stalled (0.05 = 3 s, for tests).</summary>
    [Range(0.05, 1440)]
    public double DatabaseStallMinutes { get; set; } = 10;

    /// <summary>Hangfire worker threads on this node.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>The spool folder actually used.</summary>
    public string ResolveSpoolDirectory() =>
        string.IsNullOrWhiteSpace(SpoolDirectory) ? Path.Combine(ResolveDataDirectory(), "spool") : Path.GetFullPath(SpoolDirectory);

    /// <summary>The data directory actually used: the configured one, /var/lib/backuppanel as root, else ~/.local/share/backuppanel.</summary>
    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory)) return Path.GetFullPath(DataDirectory);
        if (EmbeddedPostgres.IsRoot) return "/var/lib/backuppanel";
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(baseDir, "backuppanel");
    }
}

public static class NodeRoles
{
    public const string All = "All";
    public const string Web = "Web";
    public const string Worker = "Worker";
}
