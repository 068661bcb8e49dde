using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Plans;

/// <summary>Creates, changes, lists and removes plans; every change is audited and reaches the scheduler at once.</summary>
public sealed class PlanService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, PlanScheduler scheduler, PlanRunner runner, AuditService audit, Security.SecretProtector secrets, TimeProvider clock,
    Security.Paths.PathGuard guard)
{
    private const string Gone = "This plan does not exist (any more).";

    /// <summary>All plans with their domains and destinations, by name.</summary>
    public async Task<IReadOnlyList<Plan>> ListAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Plans.AsNoTracking().Include(p => p.Domains).Include(p => p.Destinations).OrderBy(p => p.Name).ToListAsync(ct).ConfigureAwait(false);
    }

    public async Task<Plan?> GetAsync(Guid id, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Plans.AsNoTracking().Include(p => p.Domains).Include(p => p.Destinations).SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
    }

    public Task<SaveResult> CreateAsync(PlanInput input, AuditActor actor, CancellationToken ct) => SaveAsync(null, input, actor, ct);

    public Task<SaveResult> UpdateAsync(Guid id, PlanInput input, AuditActor actor, CancellationToken ct) => SaveAsync(id, input, actor, ct);

    /// <summary>Removes the plan and its schedule (its backups stay, with their history).</summary>
    public async Task<SaveResult> DeleteAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return SaveResult.Failed(nameof(PlanInput.Name), Gone);
        }

        db.Plans.Remove(plan);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        scheduler.Remove(id);
        await audit.WriteAsync(actor, AuditActions.PlanDeleted, AuditOutcome.Success, "plan", plan.Name, ct: ct).ConfigureAwait(false);
        return SaveResult.Saved(id);
    }

    /// <summary>Runs the plan now, whatever its schedule; returns the backups it queued or skipped.</summary>
    public async Task<IReadOnlyList<Guid>> RunNowAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        var plan = await GetAsync(id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException(Gone);
        if (!plan.Enabled)
        {
            throw new InvalidOperationException("This plan is disabled: enable it first.");
        }

        var started = await runner.RunAsync(id, ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.PlanRunNow, AuditOutcome.Success, "plan", plan.Name, $"{started.Count} backup(s)", ct).ConfigureAwait(false);
        return started;
    }

    private async Task<SaveResult> SaveAsync(Guid? id, PlanInput input, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        input.HasWebhookSecret = id is { } existing && await db.Plans.AnyAsync(p => p.Id == existing && p.WebhookSecretCipher != null, ct).ConfigureAwait(false);
        var errors = input.Validate();
        var privateAllowed = (await guard.GetAsync(ct).ConfigureAwait(false)).PrivateAddresses;
        foreach (var (field, url) in new[] { (nameof(PlanInput.WebhookUrl), input.WebhookUrl), (nameof(PlanInput.PingUrl), input.PingUrl) })
        {
            if (!errors.ContainsKey(field) && Security.Network.NetworkRules.UrlHostError(url, privateAllowed) is { } refused)
            {
                errors[field] = refused; // checked again, after DNS, at each delivery
            }
        }

        var domainIds = input.DomainIds.Distinct().ToList();
        var destinationIds = input.Destinations.Keys.ToList();
        if (!errors.ContainsKey(nameof(PlanInput.DomainIds)) && await db.Domains.CountAsync(d => domainIds.Contains(d.Id), ct).ConfigureAwait(false) != domainIds.Count)
        {
            errors[nameof(PlanInput.DomainIds)] = "A chosen domain does not exist (any more).";
        }

        if (!errors.ContainsKey(nameof(PlanInput.Destinations)) && await db.Destinations.CountAsync(d => destinationIds.Contains(d.Id), ct).ConfigureAwait(false) != destinationIds.Count)
        {
            errors[nameof(PlanInput.Destinations)] = "A chosen destination does not exist (any more).";
        }

        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        var now = clock.GetUtcNow();
        var plan = id is null ? new Plan { Id = Guid.NewGuid(), CreatedAt = now }
            : await db.Plans.Include(p => p.Domains).Include(p => p.Destinations).SingleOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return SaveResult.Failed(nameof(PlanInput.Name), Gone);
        }

        // Backups in the clear are an Admin's decision: an Operator may keep a plan's encryption off, not turn it off.
        if (!input.Encrypt && (id is null || plan.Encrypt) && !actor.IsAdmin)
        {
            return SaveResult.Failed(nameof(PlanInput.Encrypt), "Only an Admin can turn encryption off.");
        }

        (plan.Name, plan.Enabled, plan.Type, plan.Schedule, plan.Retention) = (input.Name.Trim(), input.Enabled, input.Type, input.Schedule, input.Retention);
        (plan.HoldAfterFailedRuns, plan.CompressionLevel, plan.Encrypt, plan.VerifyAfterBackup) = (input.HoldAfterFailedRuns, input.CompressionLevel, input.Encrypt, input.VerifyAfterBackup);
        plan.NotifyEmails = Notifications.AddressRules.ParseEmails(input.NotifyEmails).Addresses;
        (plan.NotifyOn, plan.WebhookUrl, plan.PingUrl) = (input.NotifyOn, NullIfEmpty(input.WebhookUrl), NullIfEmpty(input.PingUrl));
        if (input.WebhookSecret is { Length: > 0 } secret)
        {
            plan.WebhookSecretCipher = secrets.Protect(secret);
        }
        else if (plan.WebhookUrl is null)
        {
            plan.WebhookSecretCipher = null; // no webhook, no secret kept
        }

        plan.UpdatedAt = now;
        plan.Domains.Clear();
        plan.Domains.AddRange(domainIds.Select(d => new PlanDomain { PlanId = plan.Id, DomainId = d }));
        plan.Destinations.Clear();
        plan.Destinations.AddRange(input.Destinations.Select(d => new PlanDestination
        {
            PlanId = plan.Id, DestinationId = d.Key, OverridesRetention = d.Value is not null, Retention = d.Value ?? new(),
        }));
        if (id is null)
        {
            db.Plans.Add(plan);
        }

        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return SaveResult.Failed(nameof(PlanInput.Name), "Another plan has this name.");
        }

        scheduler.Sync(plan);
        await audit.WriteAsync(actor, id is null ? AuditActions.PlanCreated : AuditActions.PlanChanged, AuditOutcome.Success, "plan", plan.Name,
            $"{plan.Schedule.Describe()}; {(plan.Enabled ? "enabled" : "disabled")}; {domainIds.Count} domain(s), {destinationIds.Count} destination(s); keep {plan.Retention.Describe()}", ct).ConfigureAwait(false);
        return SaveResult.Saved(plan.Id);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
