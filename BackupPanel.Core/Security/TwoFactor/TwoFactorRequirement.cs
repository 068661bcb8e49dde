using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BackupPanel.Core.Security.TwoFactor;

/// <summary>
/// Part of every role policy: met unless the <see cref="TwoFactorPolicy"/> covers one of the user's roles and the
/// account has no authenticator. Pages under Account/Manage name no role policy, so enrolment stays reachable.
/// </summary>
public sealed class TwoFactorRequirement : IAuthorizationRequirement
{
    /// <summary>The claim a sign-in cookie carries when the account has two-factor sign-in on.</summary>
    public const string ClaimType = "backuppanel:2fa";

    /// <summary>True when this signed-in user must set up an authenticator before anything else.</summary>
    public static bool MustEnrol(TwoFactorPolicy policy, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && policy.AppliesTo(user.IsInRole) && !user.HasClaim(ClaimType, "on");
    }
}

internal sealed class TwoFactorRequirementHandler(TwoFactorPolicyService policies) : AuthorizationHandler<TwoFactorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorRequirement requirement)
    {
        if (!TwoFactorRequirement.MustEnrol(await policies.GetAsync(CancellationToken.None).ConfigureAwait(false), context.User))
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>Adds <see cref="TwoFactorRequirement.ClaimType"/> to the sign-in cookie of an account with two-factor on.</summary>
public sealed class TwoFactorClaimsPrincipalFactory(
    UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user).ConfigureAwait(false);
        if (user.TwoFactorEnabled) identity.AddClaim(new Claim(TwoFactorRequirement.ClaimType, "on"));
        return identity;
    }
}
