using System.Text.RegularExpressions;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Security.Audit;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Restore;

/// <summary>Checks a restore request, queues it as a job, and shows restores. The work runs in <see cref="RunRestoreJob"/>.</summary>
public sealed partial class RestoreService(IDbContextFactory<BackupPanelDbContext> dbFactory, IBackgroundJobClient jobs, AuditService audit, TimeProvider clock, Security.Paths.PathGuard paths)
{
    /// <summary>Validates <paramref name="request"/> and queues the restore; errors by field when it cannot start.</summary>
    public async Task<SaveResult> StartAsync(RestoreRequest request, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var (run, errors) = await PrepareAsync(db, request, actor.UserName, ct).ConfigureAwait(false);
        if (run is null)
        {
            return new SaveResult(null, errors);
        }

        db.RestoreRuns.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        run.JobId = jobs.Enqueue<RunRestoreJob>(job => job.RunAsync(run.Id, CancellationToken.None));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.RestoreStarted, AuditOutcome.Success, "backup", run.BackupId.ToString(),
            $"{(run.DryRun ? "dry run: " : "")}{string.Join(", ", run.Components)} of {run.DomainName} into {Where(run)}{(run.ClearTarget ? ", clearing the target" : "")}", ct).ConfigureAwait(false);
        return SaveResult.Saved(run.Id);
    }

    /// <summary>
    /// Checks <paramref name="request"/> against the backup and the domain as they are now and builds the queued run
    /// (not added to <paramref name="db"/>); or the errors by field. Shared by single and bulk restores.
    /// </summary>
    internal async Task<(RestoreRun? Run, Dictionary<string, string> Errors)> PrepareAsync(BackupPanelDbContext db, RestoreRequest request, string requestedBy, CancellationToken ct)
    {
        var backup = await db.Backups.AsNoTracking().Include(b => b.Components.OrderBy(c => c.Position)).Include(b => b.Copies).AsSplitQuery()
            .SingleOrDefaultAsync(b => b.Id == request.BackupId, ct).ConfigureAwait(false);
        var domain = backup?.DomainId is { } domainId
            ? await db.Domains.AsNoTracking().Include(d => d.Databases).SingleOrDefaultAsync(d => d.Id == domainId, ct).ConfigureAwait(false)
            : null;
        var errors = Validate(request, backup, domain);
        if (!errors.ContainsKey(nameof(RestoreRequest.TargetDirectory))
            && await paths.CheckAsync(request.TargetDirectory?.Trim(), Security.Paths.PathUse.Data, ct).ConfigureAwait(false) is { } refused)
        {
            errors[nameof(RestoreRequest.TargetDirectory)] = refused;
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        ArgumentNullException.ThrowIfNull(backup); // Validate refuses a missing backup
        var selected = Selected(request, backup);
        var suffix = Blank(request.TargetDatabaseSuffix)
            ?? (request.Elsewhere && Blank(request.TargetDatabase) is null && selected.Any(c => !TreeKinds.Contains(c.Kind)) ? DefaultSuffix : null);
        var run = new RestoreRun
        {
            Id = Guid.NewGuid(), BackupId = backup.Id, DomainName = backup.DomainName, Components = selected.Select(c => c.Name).ToList(),
            TargetDirectory = Normalize(request.TargetDirectory), TargetDatabase = Blank(request.TargetDatabase), TargetDatabaseSuffix = suffix,
            ClearTarget = request.ClearTarget, DryRun = request.DryRun, FromDestinationId = request.FromDestinationId, Status = RestoreStatus.Queued,
            CreatedAt = clock.GetUtcNow(), RequestedBy = requestedBy, ProgressTotal = selected.Sum(c => c.StoredSize),
        };
        if (request.Elsewhere && WritesOriginalPlace(run, selected))
        {
            throw new InvalidOperationException("A restore somewhere else would have written to an original place."); // Validate makes this unreachable
        }

        run.SafetyBackup = request.SafetyBackup && !request.DryRun && WritesOriginalPlace(run, selected);
        return (run, errors);
    }

    /// <summary>The components a request restores: the ones named, or all but an imported original.</summary>
    private static List<BackupComponent> Selected(RestoreRequest request, Backup backup) => request.Components.Count == 0
        ? backup.Components.Where(c => c.Kind != ArchiveLayout.OriginalKind).ToList()
        : backup.Components.Where(c => request.Components.Contains(c.Name)).ToList();

    /// <summary>Where a run writes, in words.</summary>
    public static string Where(RestoreRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var databases = run.TargetDatabase ?? (run.TargetDatabaseSuffix is { } suffix ? $"databases NAME{suffix}" : null);
        return (run.TargetDirectory, databases) switch
        {
            (null, null) => "the original places",
            ({ } dir, null) => dir,
            (null, { } db) => db,
            ({ } dir, { } db) => $"{dir} and {db}",
        };
    }

    public async Task<RestoreRun?> GetAsync(Guid restoreId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.RestoreRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == restoreId, ct).ConfigureAwait(false);
    }

    /// <summary>The latest restores of a backup, newest first.</summary>
    public async Task<IReadOnlyList<RestoreRun>> ListForBackupAsync(Guid backupId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.RestoreRuns.AsNoTracking().Where(r => r.BackupId == backupId).OrderByDescending(r => r.CreatedAt).Take(20).ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>What a database restored somewhere else is called when no name or suffix is given: NAME_restored.</summary>
    public const string DefaultSuffix = "_restored";

    internal static bool WritesOriginalPlace(RestoreRun run, IEnumerable<BackupComponent> selected) =>
        selected.Any(c => TreeKinds.Contains(c.Kind) ? run.TargetDirectory is null : run.TargetDatabase is null && run.TargetDatabaseSuffix is null);

    private static readonly string[] TreeKinds = [ArchiveLayout.FilesKind, ArchiveLayout.MailKind];

    internal static Dictionary<string, string> Validate(RestoreRequest request, Backup? backup, Domain? domain)
    {
        var errors = new Dictionary<string, string>();
        if (backup is null || backup.Status is not (BackupStatus.Succeeded or BackupStatus.PartiallySucceeded))
        {
            errors[nameof(RestoreRequest.BackupId)] = backup is null ? "This backup does not exist (any more)." : $"Only a successful backup can be restored; this one is {backup.Status}.";
            return errors;
        }

        if (!backup.Copies.Any(c => c.Status == BackupCopyStatus.Stored))
        {
            errors[nameof(RestoreRequest.BackupId)] = "No stored copy of this backup is left.";
        }

        if (request.FromDestinationId is { } from && !backup.Copies.Any(c => c.DestinationId == from && c.Status == BackupCopyStatus.Stored))
        {
            errors[nameof(RestoreRequest.FromDestinationId)] = "That destination holds no stored copy of this backup.";
        }

        var unknown = request.Components.Where(n => backup.Components.All(c => c.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            errors[nameof(RestoreRequest.Components)] = $"Not in this backup: {string.Join(", ", unknown.Take(5))}.";
            return errors;
        }

        if (backup.Components.Any(c => c.Kind == ArchiveLayout.OriginalKind && request.Components.Contains(c.Name)))
        {
            errors[nameof(RestoreRequest.Components)] = "The original archive is kept as it was imported, for download; restore the parts converted from it instead.";
            return errors;
        }

        var selected = Selected(request, backup);
        ValidateTargets(request, selected, domain, errors);
        if (request.ClearTarget && !string.Equals(request.ClearConfirmation?.Trim(), backup.DomainName, StringComparison.OrdinalIgnoreCase))
        {
            errors[nameof(RestoreRequest.ClearConfirmation)] = $"Type the domain name ({backup.DomainName}) to confirm that what the backup does not have is removed.";
        }

        return errors;
    }

    private static void ValidateTargets(RestoreRequest request, IReadOnlyList<BackupComponent> selected, Domain? domain, Dictionary<string, string> errors)
    {
        if (!string.IsNullOrWhiteSpace(request.TargetDirectory))
        {
            if (!IsSafeDirectory(request.TargetDirectory.Trim()))
            {
                errors[nameof(RestoreRequest.TargetDirectory)] = "Give an absolute folder, not / itself and without '..' (e.g. /srv/restore/example.com).";
            }
        }

        var databases = selected.Where(c => !TreeKinds.Contains(c.Kind)).ToList();
        if (request.Elsewhere && string.IsNullOrWhiteSpace(request.TargetDirectory) && selected.Any(c => TreeKinds.Contains(c.Kind)))
        {
            errors[nameof(RestoreRequest.TargetDirectory)] = "Give the folder for files and mail: restoring somewhere else never writes to the original places.";
        }

        if (!string.IsNullOrWhiteSpace(request.TargetDatabase))
        {
            if (databases.Count != 1)
            {
                errors[nameof(RestoreRequest.TargetDatabase)] = "Choose exactly one database to restore under another name.";
            }
            else if (!DatabaseName().IsMatch(request.TargetDatabase.Trim()))
            {
                errors[nameof(RestoreRequest.TargetDatabase)] = "Database names: 1 to 63 letters, digits, '_' or '-'.";
            }
        }

        if (!string.IsNullOrWhiteSpace(request.TargetDatabaseSuffix) && SuffixProblem(request.TargetDatabaseSuffix.Trim(), request.TargetDatabase, databases) is { } suffixProblem)
        {
            errors[nameof(RestoreRequest.TargetDatabaseSuffix)] = suffixProblem;
        }

        foreach (var component in selected)
        {
            var problem = OriginalPlaceProblem(component, domain, request);
            if (problem is not null)
            {
                errors[nameof(RestoreRequest.Components)] = problem;
            }
        }
    }

    private static string? SuffixProblem(string suffix, string? targetDatabase, IEnumerable<BackupComponent> databases)
    {
        if (!DatabaseSuffixPattern().IsMatch(suffix))
        {
            return "Database suffix: 1 to 32 letters, digits, '_' or '-' (e.g. _restored).";
        }

        if (!string.IsNullOrWhiteSpace(targetDatabase))
        {
            return "Give either another database name or a suffix, not both.";
        }

        return databases.FirstOrDefault(c => (c.Database ?? "").Length + suffix.Length > 63) is { } tooLong
            ? $"{tooLong.Database}{suffix} would be longer than 63 characters: choose a shorter suffix." : null;
    }

    private static string? OriginalPlaceProblem(BackupComponent component, Domain? domain, RestoreRequest request)
    {
        var isTree = TreeKinds.Contains(component.Kind);
        if (isTree && !string.IsNullOrWhiteSpace(request.TargetDirectory))
        {
            return null;
        }

        if (domain is null)
        {
            return "The domain was removed from the panel: restore into another folder (files and mail) instead.";
        }

        return component.Kind switch
        {
            ArchiveLayout.FilesKind when domain.FilesRoot is null => "The domain has no files root now: restore the files into another folder.",
            ArchiveLayout.MailKind when domain.MailRoot is null => "The domain has no mail root now: restore the mail into another folder.",
            ArchiveLayout.PostgreSqlKind or ArchiveLayout.MySqlKind when FindDatabase(domain, component.Kind, component.Database) is null =>
                $"The domain has no {component.Kind} database {component.Database} now: add it to the domain to restore it (its server and credentials are needed).",
            _ => null,
        };
    }

    /// <summary>The domain's database a dump component belongs to: same name, same engine.</summary>
    internal static DomainDatabase? FindDatabase(Domain domain, string kind, string? database) =>
        domain.Databases.FirstOrDefault(d => d.Name == database && (d.Engine == DatabaseEngine.PostgreSql) == (kind == ArchiveLayout.PostgreSqlKind));

    /// <summary>An absolute folder other than / itself, without '..' or NUL, at most 4,096 characters.</summary>
    internal static bool IsSafeDirectory(string dir) =>
        dir.Length <= 4096 && dir.StartsWith('/') && Normalize(dir) != "/" && !dir.Split('/').Contains("..") && !dir.Contains('\0', StringComparison.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static string? Normalize(string? dir) =>
        string.IsNullOrWhiteSpace(dir) ? null : dir.Trim().Length > 1 ? dir.Trim().TrimEnd('/') : dir.Trim();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    internal static partial Regex DatabaseSuffixPattern();
}
