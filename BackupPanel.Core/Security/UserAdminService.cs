using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Security;

/// <summary>
/// What Admins do with users: create, change role, disable, reset password. Each call uses its own scope (one
/// DbContext per operation), audits itself, and refuses to leave the panel without an active Admin.
/// </summary>
public sealed class UserAdminService(
    IServiceScopeFactory scopes, IDbContextFactory<BackupPanelDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    /// <summary>All users with their role, in one query.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new
            {
                User = u,
                Role = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
            })
            .ToListAsync(ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return rows.Select(row =>
        {
            var u = row.User;
            var locked = u.LockoutEnd is { } end && end > now && !u.IsDisabled ? end : (DateTimeOffset?)null;
            return new UserSummary(u.Id, u.Email ?? "", u.DisplayName, row.Role ?? "", u.IsDisabled, u.TwoFactorEnabled,
                locked, u.CreatedAt, u.LastSignInAt);
        }).ToList();
    }

    /// <summary>Creates a user with one role. With no password given, generates one and returns it once.</summary>
    public async Task<PasswordIssued> CreateAsync(string email, string role, string? password, AuditActor actor, CancellationToken ct = default)
    {
        var generated = string.IsNullOrEmpty(password) ? PasswordGenerator.Generate() : null;
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await CreateWithRoleAsync(users, email, password ?? generated!, role, clock.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.UserCreated, Outcome(result), "User", email?.Trim(),
            result.Succeeded ? $"role {role}" : result.ErrorText, ct).ConfigureAwait(false);
        return new PasswordIssued(result, result.Succeeded ? generated : null);
    }

    public Task<SecurityResult> ChangeRoleAsync(string userId, string role, AuditActor actor, CancellationToken ct = default) =>
        MutateAsync(userId, actor, AuditActions.UserRoleChanged, async (users, user) =>
        {
            if (!Roles.IsKnown(role)) return (SecurityResult.Fail($"Unknown role '{role}'."), null);
            var current = await users.GetRolesAsync(user).ConfigureAwait(false);
            if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastActiveAdminAsync(users, user).ConfigureAwait(false))
                return (SecurityResult.Fail("This is the last active Admin; make another user Admin first."), null);
            var removed = await users.RemoveFromRolesAsync(user, current).ConfigureAwait(false);
            if (!removed.Succeeded) return (From(removed), null);
            var added = From(await users.AddToRoleAsync(user, role).ConfigureAwait(false));
            // A new security stamp makes open sessions pick up the new role at the next revalidation.
            if (added.Succeeded) await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
            return (added, $"{string.Join(",", current)} -> {role}");
        }, ct);

    public Task<SecurityResult> SetDisabledAsync(string userId, bool disabled, AuditActor actor, CancellationToken ct = default) =>
        MutateAsync(userId, actor, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, async (users, user) =>
        {
            if (disabled && user.Id == actor.UserId) return (SecurityResult.Fail("You cannot disable your own account."), null);
            if (disabled && await users.IsInRoleAsync(user, Roles.Admin).ConfigureAwait(false) && await IsLastActiveAdminAsync(users, user).ConfigureAwait(false))
                return (SecurityResult.Fail("This is the last active Admin; it cannot be disabled."), null);
            user.IsDisabled = disabled;
            user.LockoutEnabled = true;
            user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
            user.AccessFailedCount = disabled ? user.AccessFailedCount : 0; // enabling clears what was counted while disabled
            var r = From(await users.UpdateAsync(user).ConfigureAwait(false));
            // A new security stamp ends the user's open sessions at the next revalidation.
            if (r.Succeeded && disabled) await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
            return (r, null);
        }, ct);

    /// <summary>Sets a new password (or generates one, returned once) and clears a lockout.</summary>
    public async Task<PasswordIssued> ResetPasswordAsync(string userId, string? newPassword, AuditActor actor, CancellationToken ct = default)
    {
        var generated = string.IsNullOrEmpty(newPassword) ? PasswordGenerator.Generate() : null;
        var result = await MutateAsync(userId, actor, AuditActions.UserPasswordReset, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user).ConfigureAwait(false);
            var r = From(await users.ResetPasswordAsync(user, token, newPassword ?? generated!).ConfigureAwait(false));
            if (r.Succeeded && !user.IsDisabled) await users.SetLockoutEndDateAsync(user, null).ConfigureAwait(false);
            if (r.Succeeded) await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
            return (r, generated is null ? "password set by admin" : "one-time password generated");
        }, ct).ConfigureAwait(false);
        return new PasswordIssued(result, result.Succeeded ? generated : null);
    }

    internal static async Task<SecurityResult> CreateWithRoleAsync(
        UserManager<ApplicationUser> users, string? email, string password, string role, DateTimeOffset createdAt, CancellationToken ct)
    {
        email = email?.Trim() ?? "";
        if (!Roles.IsKnown(role)) return SecurityResult.Fail($"Unknown role '{role}'.");
        if (email.Length is 0 or > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            return SecurityResult.Fail("Enter a valid e-mail address.");
        ct.ThrowIfCancellationRequested();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true, CreatedAt = createdAt };
        var created = From(await users.CreateAsync(user, password).ConfigureAwait(false));
        if (!created.Succeeded) return created;
        return From(await users.AddToRoleAsync(user, role).ConfigureAwait(false));
    }

    private async Task<SecurityResult> MutateAsync(string userId, AuditActor actor, string action,
        Func<UserManager<ApplicationUser>, ApplicationUser, Task<(SecurityResult Result, string? Details)>> change, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null) return SecurityResult.Fail("That user no longer exists.");
        var (result, details) = await change(users, user).ConfigureAwait(false);
        await audit.WriteAsync(actor, action, Outcome(result), "User", user.Email, result.Succeeded ? details : result.ErrorText, ct).ConfigureAwait(false);
        return result;
    }

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin).ConfigureAwait(false);
        return !admins.Any(a => a.Id != user.Id && !a.IsDisabled);
    }

    private static SecurityResult From(IdentityResult r) =>
        r.Succeeded ? SecurityResult.Success : new SecurityResult(false, r.Errors.Select(e => e.Description).ToList());

    private static AuditOutcome Outcome(SecurityResult r) => r.Succeeded ? AuditOutcome.Success : AuditOutcome.Failure;
}
