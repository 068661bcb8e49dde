using Microsoft.AspNetCore.Identity;

namespace BackupPanel.Core.Security;

/// <summary>A person who signs in to the panel. The role (Admin, Operator, Viewer) is an Identity role.</summary>
public sealed class ApplicationUser : IdentityUser
{
    /// <summary>Shown in the app bar and the audit log instead of the e-mail address when set.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The user's dark-mode choice; null follows the browser's preference.</summary>
    public bool? DarkMode { get; set; }

    /// <summary>A disabled user cannot sign in; existing sessions end at the next revalidation.</summary>
    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}
