using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Destinations;

/// <summary>Manages destinations: create, edit, remove, test, confirm host keys. Every change is audited.</summary>
public sealed class DestinationService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, SecretProtector secrets, AuditService audit, TimeProvider clock, Security.Paths.PathGuard paths)
{
    public async Task<IReadOnlyList<Destination>> ListAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Destinations.AsNoTracking().OrderByDescending(d => d.IsDefault).ThenBy(d => d.Name).ToListAsync(ct).ConfigureAwait(false);
    }

    public async Task<Destination?> GetAsync(Guid id, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false);
    }

    public Task<SaveResult> CreateAsync(DestinationInput input, AuditActor actor, CancellationToken ct) => SaveAsync(null, input, actor, ct);

    public Task<SaveResult> UpdateAsync(Guid id, DestinationInput input, AuditActor actor, CancellationToken ct) => SaveAsync(id, input, actor, ct);

    public async Task<SaveResult> DeleteAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var destination = await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false);
        if (destination is null)
        {
            return SaveResult.Failed(nameof(DestinationInput.Name), "This destination does not exist (any more).");
        }

        db.Destinations.Remove(destination);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.DestinationDeleted, AuditOutcome.Success, "destination", destination.Name, ct: ct).ConfigureAwait(false);
        return SaveResult.Saved(id);
    }

    /// <summary>Runs the write/read/list/delete probe and records the outcome (message and latency) on the destination.</summary>
    public async Task<StorageTestResult> TestAsync(Guid id, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var destination = await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("This destination does not exist (any more).");
        StorageTestResult result;
        try
        {
            var backend = storage.Open(destination);
            await using var backendScope = backend.ConfigureAwait(false);
            result = await backend.TestAsync(ct).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            result = new StorageTestResult(false, ex.Message, TimeSpan.Zero);
        }

        destination.LastTestedAt = clock.GetUtcNow();
        destination.LastTestSucceeded = result.Success;
        destination.LastTestMessage = result.Message.Length > 1000 ? result.Message[..1000] : result.Message;
        destination.LastTestMilliseconds = (int)Math.Min(int.MaxValue, result.Elapsed.TotalMilliseconds);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return result;
    }

    private async Task<SaveResult> SaveAsync(Guid? id, DestinationInput input, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var destination = id is null ? new Destination { Id = Guid.NewGuid(), CreatedAt = clock.GetUtcNow() }
            : await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false);
        if (destination is null)
        {
            return SaveResult.Failed(nameof(DestinationInput.Name), "This destination does not exist (any more).");
        }

        // Another kind's secrets never carry over: a kind change starts from nothing stored.
        var before = id is null ? null : destination.Settings;
        var errors = new Dictionary<string, string>();
        var settings = DestinationValidator.Validate(input, before, secrets.Protect, errors);
        if (settings is Kinds.Local.LocalSettings local && await paths.CheckAsync(local.Path, Security.Paths.PathUse.Destination, ct).ConfigureAwait(false) is { } refused)
        {
            errors[nameof(Kinds.Local.LocalInput.Path)] = refused;
            settings = null;
        }

        if (settings is null)
        {
            return new SaveResult(null, errors);
        }

        destination.Name = input.Name;
        destination.Settings = settings;
        destination.IsEnabled = input.IsEnabled;
        input.Settings.ForgetSecrets(); // the form never holds a secret after saving
        destination.IsDefault = input.IsDefault || !await db.Destinations.AnyAsync(d => d.Id != destination.Id, ct).ConfigureAwait(false);
        destination.UpdatedAt = clock.GetUtcNow();
        if (destination.IsDefault)
        {
            await db.Destinations.Where(d => d.Id != destination.Id && d.IsDefault).ExecuteUpdateAsync(s => s.SetProperty(d => d.IsDefault, false), ct).ConfigureAwait(false);
        }

        if (id is null)
        {
            db.Destinations.Add(destination);
        }

        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return SaveResult.Failed(nameof(DestinationInput.Name), $"A destination named {input.Name} exists already.");
        }

        var details = destination.ToString() + (settings.ChangeNote(before) is { } note ? "; " + note : "");
        await audit.WriteAsync(actor, id is null ? AuditActions.DestinationCreated : AuditActions.DestinationChanged, AuditOutcome.Success,
            "destination", destination.Name, details, ct).ConfigureAwait(false);
        return SaveResult.Saved(destination.Id);
    }
}
