namespace BackupPanel.Core.Databases;

/// <summary>
/// Where a database lives and how to log in to it. The password is in clear for the length of one call to a database
/// tool (it reaches the tools through the environment or a 0600 file, never an argument list); null for none (trust or
/// socket authentication). <see cref="ToString"/> never shows it.
/// </summary>
public sealed record DatabaseConnection(DatabaseEngine Engine, string Host, int Port, string Name, string User, string? Password)
{
    /// <summary>How long a dump may send nothing before it is stopped as stalled (BackupPanel:DatabaseStallMinutes).</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A dump that sends no byte for this long fails (a frozen or locked server), so that the run ends and frees the
    /// domain instead of holding it forever.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;

    /// <summary>
    /// The database for libpq tools' <c>-d</c>, always as a quoted conninfo (<c>dbname='…'</c>): a name holding '=' is
    /// otherwise read as a connection string (another host, another database, with this password).
    /// </summary>
    public string PostgresDbName => "dbname='" + Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{Engine} {User}@{Host}:{Port}/{Name}";
}

/// <summary>BackupPanel:DatabaseStallMinutes as the services see it (10 minutes unless the host registers another).</summary>
public sealed record DatabaseStallTimeout(TimeSpan Value);
