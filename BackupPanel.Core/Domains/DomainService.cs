using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Security.Paths;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Domains;

/// <summary>Creates, changes, lists and removes domains. Every change is audited; passwords are stored encrypted.</summary>
public sealed class DomainService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, SecretProtector secrets, AuditService audit, TimeProvider clock, PathGuard paths, DatabaseStallTimeout stall)
{
    /// <summary>All domains with their databases, by name.</summary>
    public async Task<IReadOnlyList<Domain>> ListAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Domains.AsNoTracking().Include(d => d.Databases).OrderBy(d => d.Name).ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One domain with its databases, or null.</summary>
    public async Task<Domain?> GetAsync(Guid id, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Domains.AsNoTracking().Include(d => d.Databases).SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false);
    }

    public Task<SaveResult> CreateAsync(DomainInput input, AuditActor actor, CancellationToken ct) => SaveAsync(null, input, actor, ct);

    public Task<SaveResult> UpdateAsync(Guid id, DomainInput input, AuditActor actor, CancellationToken ct) => SaveAsync(id, input, actor, ct);

    /// <summary>Removes the domain from the catalog (its backups at the destinations stay where they are).</summary>
    public async Task<SaveResult> DeleteAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var domain = await db.Domains.SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false);
        if (domain is null)
        {
            return SaveResult.Failed("Name", "This domain does not exist (any more).");
        }

        db.Domains.Remove(domain);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.DomainDeleted, AuditOutcome.Success, "domain", domain.Name, ct: ct).ConfigureAwait(false);
        return SaveResult.Saved(id);
    }

    /// <summary>The password of a database, for the dump tools only; null when none is stored.</summary>
    public string? PasswordOf(DomainDatabase database) =>
        database?.ProtectedPassword is { } protectedPassword ? secrets.Unprotect(protectedPassword) : null;

    /// <summary>How the database tools reach <paramref name="database"/>, its password decrypted (for one run only).</summary>
    public DatabaseConnection ConnectionOf(DomainDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new DatabaseConnection(database.Engine, database.Host, database.Port, database.Name, database.User, PasswordOf(database)) { StallTimeout = stall.Value };
    }

    private async Task<SaveResult> SaveAsync(Guid? id, DomainInput input, AuditActor actor, CancellationToken ct)
    {
        var errors = DomainValidator.Validate(input);
        foreach (var (field, path) in new[] { (nameof(DomainInput.FilesRoot), input.FilesRoot), (nameof(DomainInput.MailRoot), input.MailRoot) })
        {
            if (!errors.ContainsKey(field) && await paths.CheckAsync(path, PathUse.Data, ct).ConfigureAwait(false) is { } error)
            {
                errors[field] = error; // the allowed roots, on the resolved path, whoever calls
            }
        }

        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var domain = id is null ? new Domain { Id = Guid.NewGuid(), CreatedAt = clock.GetUtcNow() }
            : await db.Domains.Include(d => d.Databases).SingleOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false);
        if (domain is null)
        {
            return SaveResult.Failed(nameof(DomainInput.Name), "This domain does not exist (any more).");
        }

        // A stored password goes only to the server and user it was given for: pointing a database at another server
        // (or user) without typing the password again would hand it to that server at the next check or backup.
        for (var i = 0; i < input.Databases.Count; i++)
        {
            var row = input.Databases[i];
            if (domain.Databases.FirstOrDefault(d => d.Id == row.Id) is { ProtectedPassword: not null } stored && string.IsNullOrEmpty(row.NewPassword) && !row.ClearPassword
                && (stored.Host != row.Host || stored.Port != row.Port || stored.User != row.User || stored.Engine != row.Engine))
            {
                errors[$"{nameof(DomainInput.Databases)}[{i}].{nameof(DatabaseInput.NewPassword)}"] =
                    "The server or user changed: enter the password again (a saved password is only sent where it was given for).";
            }
        }

        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        // Who owns what is restored into a domain is an Admin's decision, checked here and not only on the page.
        if ((input.OwnerUser != domain.OwnerUser || input.OwnerGroup != domain.OwnerGroup) && !actor.IsAdmin)
        {
            return SaveResult.Failed(nameof(DomainInput.OwnerUser), "Only an Admin can set or change a domain's owner.");
        }

        Apply(input, domain);
        if (id is null)
        {
            db.Domains.Add(domain);
        }

        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return SaveResult.Failed(nameof(DomainInput.Name), $"A domain named {input.Name} exists already.");
        }

        await audit.WriteAsync(actor, id is null ? AuditActions.DomainCreated : AuditActions.DomainChanged, AuditOutcome.Success, "domain", domain.Name,
            $"files: {domain.FilesRoot ?? "-"}, mail: {domain.MailRoot ?? "-"}, databases: {string.Join(", ", domain.Databases)}", ct).ConfigureAwait(false);
        return SaveResult.Saved(domain.Id);
    }

    private void Apply(DomainInput input, Domain domain)
    {
        domain.Name = input.Name;
        domain.FilesRoot = input.FilesRoot;
        domain.MailRoot = input.MailRoot;
        domain.OwnerUser = input.OwnerUser;
        domain.OwnerGroup = input.OwnerGroup;
        domain.Excludes = [.. input.ExcludeList()];
        domain.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        domain.UpdatedAt = clock.GetUtcNow();
        var kept = new List<DomainDatabase>();
        foreach (var row in input.Databases)
        {
            var database = domain.Databases.FirstOrDefault(d => d.Id == row.Id) ?? new DomainDatabase { Id = Guid.NewGuid(), DomainId = domain.Id };
            database.Engine = row.Engine;
            database.Host = row.Host;
            database.Port = row.Port;
            database.Name = row.Name;
            database.User = row.User;
            if (row.ClearPassword)
            {
                database.ProtectedPassword = null;
            }
            else if (!string.IsNullOrEmpty(row.NewPassword))
            {
                database.ProtectedPassword = secrets.Protect(row.NewPassword);
            }

            kept.Add(database);
        }

        domain.Databases.RemoveAll(d => !kept.Contains(d));
        foreach (var database in kept.Where(d => !domain.Databases.Contains(d)))
        {
            domain.Databases.Add(database);
        }
    }
}
