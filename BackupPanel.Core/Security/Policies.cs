using Microsoft.AspNetCore.Authorization;

namespace BackupPanel.Core.Security;

/// <summary>
/// Authorization policies. Every page and endpoint names one of these; the fallback policy is
/// <see cref="Viewer"/>, so a page that names none still needs a signed-in team member.
/// </summary>
public static class Policies
{
    /// <summary>Any team member: Admin, Operator or Viewer.</summary>
    public const string Viewer = "RequireViewer";

    /// <summary>May change things that back up and restore: Admin or Operator.</summary>
    public const string Operator = "RequireOperator";

    /// <summary>Users, settings, audit log, Hangfire dashboard: Admin only.</summary>
    public const string Admin = "RequireAdmin";

    /// <summary>
    /// A team member's own account pages (password, two-factor): like <see cref="Viewer"/>, but open before the
    /// two-factor sign-in a role requires is set up, since that is where it is set up.
    /// </summary>
    public const string Account = "RequireTeamMemberAccount";

    /// <summary>Registers the policies and makes <see cref="Viewer"/> the fallback.</summary>
    public static void Configure(AuthorizationOptions options)
    {
        var viewer = Build(Roles.Admin, Roles.Operator, Roles.Viewer);
        options.AddPolicy(Account, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Operator, Roles.Viewer).Build());
        options.AddPolicy(Viewer, viewer);
        options.AddPolicy(Operator, Build(Roles.Admin, Roles.Operator));
        options.AddPolicy(Admin, Build(Roles.Admin));
        options.FallbackPolicy = viewer;
    }

    // Every role policy also needs two-factor sign-in where the Admins require it (TwoFactorRequirement).
    private static AuthorizationPolicy Build(params string[] roles) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(roles).AddRequirements(new TwoFactor.TwoFactorRequirement()).Build();
}
