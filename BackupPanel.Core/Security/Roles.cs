namespace BackupPanel.Core.Security;

/// <summary>The three team roles. Each user holds exactly one.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    /// <summary>All roles, most powerful first.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
