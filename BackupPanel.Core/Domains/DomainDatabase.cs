using BackupPanel.Core.Databases;

namespace BackupPanel.Core.Domains;

/// <summary>One database of a domain, with credentials; the password is stored encrypted.</summary>
public sealed class DomainDatabase
{
    public Guid Id { get; set; }

    public Guid DomainId { get; set; }

    public DatabaseEngine Engine { get; set; }

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    /// <summary>The database's name on the server.</summary>
    public string Name { get; set; } = "";

    public string User { get; set; } = "";

    /// <summary>The password encrypted by <c>SecretProtector</c>; null for none (e.g. trust or socket auth).</summary>
    public string? ProtectedPassword { get; set; }

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{Engine} {User}@{Host}:{Port}/{Name}";
}
