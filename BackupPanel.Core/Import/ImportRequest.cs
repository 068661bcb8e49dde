namespace BackupPanel.Core.Import;

/// <summary>The import form's model: which domains, where their files, mail and databases go, where the imported backups are stored.</summary>
public sealed class ImportRequest
{
    /// <summary>Domains of the archive to import; empty = all of them.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>Where the imported backups are stored (they are listed, retained and restorable like any other).</summary>
    public Guid DestinationId { get; set; }

    /// <summary>The files root of each new domain; <c>{domain}</c> becomes its name. An existing domain keeps its own.</summary>
    public string FilesRoot { get; set; } = "/srv/www/{domain}";

    /// <summary>The mail root of each new domain (one Maildir per mailbox under it, by its local part).</summary>
    public string MailRoot { get; set; } = "/srv/mail/{domain}";

    public DatabaseServerInput MySql { get; set; } = new() { Port = 3306 };

    public DatabaseServerInput PostgreSql { get; set; } = new() { Port = 5432 };

    /// <summary>Target database names by "ENGINE:SOURCE NAME" (default: the same name).</summary>
    public Dictionary<string, string> DatabaseNames { get; set; } = [];

    /// <summary>
    /// Import into domains of the same name that exist already (their content is replaced, after a safety backup). Without
    /// it an import that would touch an existing domain is refused, naming it.
    /// </summary>
    public bool UpdateExisting { get; set; }

    /// <summary>
    /// Load the dumps with database accounts that could reach the server itself (superuser, SUPER, FILE): an Admin's
    /// choice only. Without it such an account is refused before anything is created.
    /// </summary>
    public bool AllowPrivilegedAccounts { get; set; }

    /// <summary>Keep the original archive, byte for byte, as a component of each imported backup.</summary>
    public bool KeepOriginal { get; set; } = true;

    public static string DatabaseKey(string engine, string name) => $"{engine}:{name}";
}

/// <summary>A database server the imported databases are loaded into, and the account that creates them.</summary>
public sealed class DatabaseServerInput
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    public string User { get; set; } = "";

    /// <summary>Write-only: never shown again; stored encrypted with the domain's databases.</summary>
    public string? Password { get; set; }
}
