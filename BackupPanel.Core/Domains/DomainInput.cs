using BackupPanel.Core.Databases;

namespace BackupPanel.Core.Domains;

/// <summary>The domain form: what a user may set. Passwords are write-only (empty keeps the stored one).</summary>
public sealed class DomainInput
{
    public string Name { get; set; } = "";
    public string? FilesRoot { get; set; }

    /// <summary>Exclude globs, one per line.</summary>
    public string? Excludes { get; set; }

    public string? MailRoot { get; set; }
    public string? Notes { get; set; }

    /// <summary>The domain's owner (user), or empty for the owner of its root folder. Only Admins may change it.</summary>
    public string? OwnerUser { get; set; }

    /// <summary>The owner's group; given together with <see cref="OwnerUser"/>.</summary>
    public string? OwnerGroup { get; set; }

    public List<DatabaseInput> Databases { get; set; } = [];

    /// <summary>The form for an existing domain (passwords never leave the server).</summary>
    public static DomainInput From(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return new DomainInput
        {
            Name = domain.Name,
            FilesRoot = domain.FilesRoot,
            Excludes = string.Join('\n', domain.Excludes),
            MailRoot = domain.MailRoot,
            Notes = domain.Notes,
            OwnerUser = domain.OwnerUser,
            OwnerGroup = domain.OwnerGroup,
            Databases = domain.Databases.Select(d => new DatabaseInput
            {
                Id = d.Id, Engine = d.Engine, Host = d.Host, Port = d.Port, Name = d.Name, User = d.User,
                HasPassword = d.ProtectedPassword is not null,
            }).ToList(),
        };
    }

    /// <summary>The exclude lines, trimmed, without blanks.</summary>
    public IReadOnlyList<string> ExcludeList() =>
        (Excludes ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}

/// <summary>One database row of the domain form.</summary>
public sealed class DatabaseInput
{
    public Guid? Id { get; set; }
    public DatabaseEngine Engine { get; set; }
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5432;
    public string Name { get; set; } = "";
    public string User { get; set; } = "";

    /// <summary>A new password; null or empty keeps the stored one.</summary>
    public string? NewPassword { get; set; }

    /// <summary>Remove the stored password (e.g. for socket or trust authentication).</summary>
    public bool ClearPassword { get; set; }

    /// <summary>Whether a password is stored (for display only).</summary>
    public bool HasPassword { get; set; }

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{Engine} {User}@{Host}:{Port}/{Name}";
}
