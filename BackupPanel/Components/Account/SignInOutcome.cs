using BackupPanel.Circuit;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Security.TwoFactor;
using Microsoft.AspNetCore.Identity;

namespace BackupPanel.Components.Account;

/// <summary>
/// What every sign-in page does with a <see cref="SignInResult"/>: audit it (never the password), stamp the last
/// sign-in, and redirect, or return the message to show.
/// </summary>
internal sealed class SignInOutcome(
    AuditService audit, UserManager<ApplicationUser> users, IdentityRedirectManager redirect, TimeProvider clock,
    TwoFactorPolicyService twoFactor, IUserClaimsPrincipalFactory<ApplicationUser> principals)
{
    public async Task<string?> HandleAsync(
        SignInResult result, ApplicationUser? user, string attemptedName, string action, HttpContext http,
        string? returnUrl, bool rememberMe = false)
    {
        var actor = user is null
            ? AuditActorAccessor.FromHttp(http, attemptedName)
            : new AuditActor(user.Id, user.Email ?? attemptedName, http.Connection.RemoteIpAddress?.ToString());
        if (result.Succeeded)
        {
            await audit.WriteAsync(actor, action, AuditOutcome.Success, "User", actor.UserName);
            user!.LastSignInAt = clock.GetUtcNow();
            await users.UpdateAsync(user);
            if (TwoFactorRequirement.MustEnrol(await twoFactor.GetAsync(http.RequestAborted), await principals.CreateAsync(user)))
            {
                // The enrolment step: nothing else opens until the account has an authenticator.
                redirect.RedirectTo("Account/Manage/EnableAuthenticator", new() { ["required"] = "true" });
                return null;
            }
            redirect.RedirectTo(returnUrl);
            return null;
        }
        if (result.RequiresTwoFactor)
        {
            redirect.RedirectTo("Account/LoginWith2fa", new() { ["returnUrl"] = returnUrl, ["rememberMe"] = rememberMe });
            return null;
        }
        if (user?.IsDisabled == true && !result.IsLockedOut)
        {
            await audit.WriteAsync(actor, action, AuditOutcome.Denied, "User", actor.UserName, "account disabled");
            return "Error: This account is disabled. Ask an Admin to enable it.";
        }
        if (result.IsLockedOut)
        {
            await audit.WriteAsync(actor, AuditActions.Lockout, AuditOutcome.Denied, "User", actor.UserName, "too many failed attempts");
            redirect.RedirectTo("Account/Lockout");
            return null;
        }
        await audit.WriteAsync(actor, action, AuditOutcome.Failure, "User", attemptedName,
            user is null ? "unknown user" : "wrong credentials");
        return "Error: Invalid sign-in attempt.";
    }
}
