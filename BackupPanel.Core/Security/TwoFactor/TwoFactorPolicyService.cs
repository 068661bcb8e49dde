using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Security.TwoFactor;

/// <summary>Reads (cached a few seconds: it is asked on every authorization) and saves the two-factor policy.</summary>
public sealed class TwoFactorPolicyService(IDbContextFactory<BackupPanelDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private (TwoFactorPolicy Policy, DateTimeOffset At)? _cached;

    public async Task<TwoFactorPolicy> GetAsync(CancellationToken ct)
    {
        if (_cached is { } c && clock.GetUtcNow() - c.At < CacheFor) return c.Policy;
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var policy = await db.Set<TwoFactorPolicy>().AsNoTracking().SingleOrDefaultAsync(ct).ConfigureAwait(false) ?? new TwoFactorPolicy();
        _cached = (policy, clock.GetUtcNow());
        return policy;
    }

    /// <summary>Admins only (checked here, not only by the page); audited.</summary>
    public async Task<SecurityResult> SaveAsync(bool forAdmins, bool forOperators, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            await audit.WriteAsync(actor, AuditActions.TwoFactorPolicyChanged, AuditOutcome.Denied, "Security", "two-factor", ct: ct).ConfigureAwait(false);
            return SecurityResult.Fail("Only an Admin can change who must use two-factor sign-in.");
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var policy = await db.Set<TwoFactorPolicy>().SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (policy is null) db.Add(policy = new TwoFactorPolicy());
        (policy.RequiredForAdmins, policy.RequiredForOperators, policy.UpdatedAt) = (forAdmins, forOperators, clock.GetUtcNow());
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        _cached = null;
        await audit.WriteAsync(actor, AuditActions.TwoFactorPolicyChanged, AuditOutcome.Success, "Security", "two-factor",
            $"required for Admins: {(forAdmins ? "yes" : "no")}; for Operators: {(forOperators ? "yes" : "no")}", ct).ConfigureAwait(false);
        return SecurityResult.Success;
    }
}
