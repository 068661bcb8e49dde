using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Security;

/// <summary>
/// Creates the first Admin while no user exists, and only then. Once a user exists the answer is cached,
/// because users are never all removed (the last Admin cannot be deleted).
/// </summary>
public sealed class FirstRunService(
    IServiceScopeFactory scopes, IDbContextFactory<BackupPanelDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    private const long SetupLockKey = 0x5365747570;
    private volatile bool _hasUsers;

    /// <summary>
    /// The one-time setup token of this process: the setup page creates the first Admin only for a link that carries
    /// it, which the panel prints to its console and log at start. Anyone else who reaches the port (a local user, a
    /// tenant's script) cannot claim the panel — and an Admin is root.
    /// </summary>
    public string SetupToken { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>Whether <paramref name="token"/> is this process's setup token (compared in constant time).</summary>
    public bool IsSetupToken(string? token) =>
        token is { Length: > 0 and <= 100 } && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(token), System.Text.Encoding.ASCII.GetBytes(SetupToken));

    /// <summary>True once any user exists; the setup page is then gone.</summary>
    public async Task<bool> HasUsersAsync(CancellationToken ct = default)
    {
        if (_hasUsers) return true;
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        _hasUsers = await db.Users.AnyAsync(ct).ConfigureAwait(false);
        return _hasUsers;
    }

    /// <summary>
    /// Creates the first Admin. Refused when a user already exists, also when two requests race
    /// (a PostgreSQL advisory lock serialises them).
    /// </summary>
    public async Task<SecurityResult> CreateFirstAdminAsync(string email, string password, AuditActor actor, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        var tx = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SetupLockKey})", ct).ConfigureAwait(false);
        if (await db.Users.AnyAsync(ct).ConfigureAwait(false))
        {
            _hasUsers = true;
            return SecurityResult.Fail("The panel is already set up. Sign in instead.");
        }
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await UserAdminService.CreateWithRoleAsync(users, email, password, Roles.Admin, clock.GetUtcNow(), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        if (!result.Succeeded) return result;
        _hasUsers = true;
        await audit.WriteAsync(actor with { UserName = email }, AuditActions.FirstAdminCreated, AuditOutcome.Success, "User", email, ct: ct).ConfigureAwait(false);
        return result;
    }
}
