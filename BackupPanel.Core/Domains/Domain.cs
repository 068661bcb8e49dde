namespace BackupPanel.Core.Domains;

/// <summary>A site or app that is backed up: its files root, databases and mailboxes.</summary>
public sealed class Domain
{
    public Guid Id { get; set; }

    /// <summary>Fully qualified name, lower case, unique (e.g. example.com).</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute path of the web files, or null when the domain has none.</summary>
    public string? FilesRoot { get; set; }

    /// <summary>Exclude globs under the files root (see <c>ExcludeFilter</c>).</summary>
    public List<string> Excludes { get; set; } = [];

    /// <summary>Absolute path of the Maildir tree, or null.</summary>
    public string? MailRoot { get; set; }

    /// <summary>
    /// The user restored files belong to where the backup says root (and imported files always); null: the owner of
    /// the files root (or mail root). Set by Admins only.
    /// </summary>
    public string? OwnerUser { get; set; }

    /// <summary>The group that goes with <see cref="OwnerUser"/>.</summary>
    public string? OwnerGroup { get; set; }

    public string? Notes { get; set; }

    public List<DomainDatabase> Databases { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
