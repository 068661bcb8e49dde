using Microsoft.AspNetCore.Identity;

namespace BackupPanel.Core.Security;

/// <summary>The panel's password and lockout rules, in one place for the web host and the tests.</summary>
public static class IdentityPolicy
{
    public const int MinPasswordLength = 12;

    public static void Configure(IdentityOptions o)
    {
        o.User.RequireUniqueEmail = true;
        o.SignIn.RequireConfirmedAccount = false;
        // Length over composition (NIST SP 800-63B).
        o.Password.RequiredLength = MinPasswordLength;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    }
}
