namespace BackupPanel.Core.Security.Audit;

/// <summary>Who acted and from where. Built by the web layer from the request or the circuit.</summary>
/// <param name="UserId">The acting user's id; null when anonymous.</param>
/// <param name="UserName">The acting user's name, or "anonymous"/"system".</param>
/// <param name="ClientAddress">The client's IP address, when known.</param>
public sealed record AuditActor(string? UserId, string UserName, string? ClientAddress)
{
    public static readonly AuditActor System = new(null, "system", null) { IsAdmin = true };

    /// <summary>Whether the actor holds the Admin role: what only Admins may do is checked in the services with it.</summary>
    public bool IsAdmin { get; init; }
}
