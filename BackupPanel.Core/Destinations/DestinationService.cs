using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Destinations;

/// <summary>The result of a change: the destination's id, or the problems by field.</summary>
public sealed record DestinationResult(Guid? Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static DestinationResult Failed(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}

/// <summary>Manages destinations and opens their storage backends. Every change is audited.</summary>
public sealed class DestinationService(IDbContextFactory<BackupPanelDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<Destination>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking().OrderByDescending(d => d.IsDefault).ThenBy(d => d.Name).ToListAsync(ct);
    }

    public async Task<Destination?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
    }

    /// <summary>The storage backend behind a destination (the one place that knows the kinds).</summary>
    public static IStorageBackend Open(Destination destination) => destination?.Kind switch
    {
        DestinationKind.Local => new LocalStorageBackend(destination.Path),
        _ => throw new StorageException(StorageErrorKind.Permanent, $"Destinations of kind {destination?.Kind} are not supported."),
    };

    public Task<DestinationResult> CreateAsync(DestinationInput input, AuditActor actor, CancellationToken ct) => SaveAsync(null, input, actor, ct);

    public Task<DestinationResult> UpdateAsync(Guid id, DestinationInput input, AuditActor actor, CancellationToken ct) => SaveAsync(id, input, actor, ct);

    public async Task<DestinationResult> DeleteAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destination = await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (destination is null)
        {
            return DestinationResult.Failed(nameof(DestinationInput.Name), "This destination does not exist (any more).");
        }

        db.Destinations.Remove(destination);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(actor, AuditActions.DestinationDeleted, AuditOutcome.Success, "destination", destination.Name, ct: ct);
        return new DestinationResult(id, new Dictionary<string, string>());
    }

    /// <summary>Runs the write/read/list/delete probe and records the outcome on the destination.</summary>
    public async Task<StorageTestResult> TestAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destination = await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct)
            ?? throw new InvalidOperationException("This destination does not exist (any more).");
        StorageTestResult result;
        try
        {
            result = await Open(destination).TestAsync(ct);
        }
        catch (StorageException ex)
        {
            result = new StorageTestResult(false, ex.Message, TimeSpan.Zero);
        }

        destination.LastTestedAt = clock.GetUtcNow();
        destination.LastTestSucceeded = result.Success;
        destination.LastTestMessage = result.Message.Length > 1000 ? result.Message[..1000] : result.Message;
        await db.SaveChangesAsync(ct);
        return result;
    }

    private async Task<DestinationResult> SaveAsync(Guid? id, DestinationInput input, AuditActor actor, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return new DestinationResult(null, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destination = id is null ? new Destination { Id = Guid.NewGuid(), CreatedAt = clock.GetUtcNow() }
            : await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (destination is null)
        {
            return DestinationResult.Failed(nameof(DestinationInput.Name), "This destination does not exist (any more).");
        }

        destination.Name = input.Name;
        destination.Kind = input.Kind;
        destination.Path = input.Path;
        destination.IsEnabled = input.IsEnabled;
        destination.IsDefault = input.IsDefault || !await db.Destinations.AnyAsync(d => d.Id != destination.Id, ct);
        destination.UpdatedAt = clock.GetUtcNow();
        if (destination.IsDefault)
        {
            await db.Destinations.Where(d => d.Id != destination.Id && d.IsDefault).ExecuteUpdateAsync(s => s.SetProperty(d => d.IsDefault, false), ct);
        }

        if (id is null)
        {
            db.Destinations.Add(destination);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return DestinationResult.Failed(nameof(DestinationInput.Name), $"A destination named {input.Name} exists already.");
        }

        await audit.WriteAsync(actor, id is null ? AuditActions.DestinationCreated : AuditActions.DestinationChanged, AuditOutcome.Success,
            "destination", destination.Name, destination.ToString(), ct);
        return new DestinationResult(destination.Id, new Dictionary<string, string>());
    }

    private static Dictionary<string, string> Validate(DestinationInput input)
    {
        var errors = new Dictionary<string, string>();
        input.Name = input.Name?.Trim() ?? "";
        input.Path = input.Path?.Trim() ?? "";
        if (input.Name.Length is 0 or > 100 || input.Name.Any(char.IsControl))
        {
            errors[nameof(DestinationInput.Name)] = "Enter a name of up to 100 characters.";
        }

        if (input.Path.Length is 0 or > 4096 || input.Path.Any(char.IsControl) || !System.IO.Path.IsPathFullyQualified(input.Path))
        {
            errors[nameof(DestinationInput.Path)] = "Enter the absolute path of a folder, such as /var/backups/panel.";
        }
        else if (System.IO.Path.TrimEndingDirectorySeparator(input.Path) == "/" || input.Path.Split('/').Contains(".."))
        {
            errors[nameof(DestinationInput.Path)] = "Choose a folder of its own: not '/' and without '..'.";
        }
        else
        {
            input.Path = System.IO.Path.TrimEndingDirectorySeparator(input.Path);
        }

        return errors;
    }
}
