using Npgsql;

namespace BackupPanel.Core.Data;

/// <summary>
/// The panel's two ways into its database: <see cref="App"/>, the role it runs as (reads and writes rows, owns
/// nothing), and <see cref="Owner"/>, the role that owns the tables and applies migrations at start-up. With one
/// connection string for both, the panel's role owns its tables (an external server set up the simple way).
/// </summary>
public sealed record DatabaseConnections(string App, string Owner)
{
    public DatabaseConnections(string both)
        : this(both, both)
    {
    }

    /// <summary>True when migrations run as a role of their own and the panel's role gets only row rights.</summary>
    public bool Separate => App != Owner;

    public string AppRole => new NpgsqlConnectionStringBuilder(App).Username ?? "";
}
