using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackupPanel.Core.Import;

/// <summary>
/// Imports one domain of an archive: creates the domain (or adds what is missing to an existing one), stores the
/// archive's content for it as an imported backup in the panel's own format (a normal backup run, read back and
/// checked), then restores that backup into the domain's places (a normal restore: staged, safe, a safety backup
/// first for an existing domain). A new domain that fails at any step is removed again with its backup and the
/// folders the import created: no partial domain is left behind.
/// </summary>
public sealed class DomainImport(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DomainService domains, BackupService backups, BackupRunner backupRunner,
    RestoreService restores, RestoreRunner restoreRunner, SecretProtector secrets, IOptions<ImportOptions> options)
{
    internal async Task<ImportDomainResult> ImportAsync(ImportRun run, ImportPreview preview, ImportDomainPreview domain, ImportRequest request, RunLog log, CancellationToken ct)
    {
        var actor = new AuditActor(null, run.RequestedBy, null);
        var names = ImportRequestRules.TargetNames(request, domain.Databases);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var existing = await db.Domains.AsNoTracking().Include(d => d.Databases).SingleOrDefaultAsync(d => d.Name == domain.Name, ct).ConfigureAwait(false);
        var input = existing is null ? new DomainInput { Name = domain.Name, Notes = $"Imported from {run.SourceName} ({preview.Format})." } : DomainInput.From(existing);
        input.FilesRoot ??= domain.Files > 0 ? ImportRequestRules.RootFor(request.FilesRoot, domain.Name) : null;
        input.MailRoot ??= domain.Mailboxes.Count > 0 ? ImportRequestRules.RootFor(request.MailRoot, domain.Name) : null;
        AddDatabases(input, domain, names, request);
        if (!request.AllowPrivilegedAccounts && await PrivilegedAccountAsync(domain, request, ct).ConfigureAwait(false) is { } privileged)
        {
            return new ImportDomainResult(domain.Name, false, false, null, privileged);
        }
        var newFolders = new[] { input.FilesRoot, input.MailRoot }.OfType<string>().Where(f => !Directory.Exists(f)).ToList();
        var saved = existing is null ? await domains.CreateAsync(input, actor, ct).ConfigureAwait(false) : await domains.UpdateAsync(existing.Id, input, actor, ct).ConfigureAwait(false);
        if (!saved.Succeeded)
        {
            return new ImportDomainResult(domain.Name, false, false, null, "The domain cannot be saved: " + string.Join(" ", saved.Errors.Values));
        }

        Guid? backupId = null;
        try
        {
            backupId = await QueueBackupAsync(saved.Id!.Value, request.DestinationId, $"import of {run.SourceName} by {run.RequestedBy}", ct).ConfigureAwait(false);
            await db.ImportRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.CurrentBackupId, backupId), ct).ConfigureAwait(false);
            await backupRunner.RunAsync(backupId.Value, (_, w) => new ImportSources(options.Value, run.ArchivePath, preview.Format, w).Plan(domain, names, request.KeepOriginal), ct).ConfigureAwait(false);
            var backup = await backups.GetAsync(backupId.Value, ct).ConfigureAwait(false);
            if (backup?.Status != BackupStatus.Succeeded)
            {
                throw new RunFailedException($"Storing the archive's content failed: {backup?.Error ?? "the backup is gone"}");
            }

            log.Add($"{domain.Name}: stored as backup {backup.Id} ({string.Join(", ", backup.Components.Select(c => c.Name))}).");
            await RestoreAsync(db, backup, existing is not null, run.RequestedBy, log, ct).ConfigureAwait(false);
            return new ImportDomainResult(domain.Name, true, existing is null, backupId, null);
        }
        catch (Exception ex) when (ExpectedFailure.Is(ex))
        {
            if (existing is null)
            {
                await RollBackAsync(domain.Name, saved.Id!.Value, backupId, newFolders, names, actor, log).ConfigureAwait(false);
            }

            return new ImportDomainResult(domain.Name, false, false, existing is null ? null : backupId, RunLog.Clip(ex.Message, 2000));
        }
        catch (Exception) when (existing is null)
        {
            // A bug: no half-imported domain is left either; the job keeps the stack trace.
            await RollBackAsync(domain.Name, saved.Id!.Value, backupId, newFolders, names, actor, log).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The imported backup, queued for this run; a destination the backup cannot use fails the domain (and rolls it back).</summary>
    private async Task<Guid> QueueBackupAsync(Guid domainId, Guid destinationId, string requestedBy, CancellationToken ct)
    {
        try
        {
            return await backups.CreateQueuedAsync(domainId, BackupType.Full, destinationId, requestedBy, ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new RunFailedException(ex.Message, ex);
        }
    }

    private async Task RestoreAsync(BackupPanelDbContext db, Backup backup, bool safetyBackup, string requestedBy, RunLog log, CancellationToken ct)
    {
        var parts = backup.Components.Where(c => c.Kind != ArchiveLayout.OriginalKind).Select(c => c.Name).ToList();
        if (parts.Count == 0)
        {
            return;
        }

        var (restore, errors) = await restores.PrepareAsync(db, new RestoreRequest { BackupId = backup.Id, Components = parts, SafetyBackup = safetyBackup }, requestedBy, ct).ConfigureAwait(false);
        if (restore is null)
        {
            throw new RunFailedException("The imported backup cannot be restored: " + string.Join(" ", errors.Values));
        }

        db.RestoreRuns.Add(restore);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await db.ImportRuns.Where(r => r.Phase != null && r.CurrentBackupId == backup.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Phase, r => r.Phase + " — restoring into place"), ct).ConfigureAwait(false);
        await restoreRunner.RunAsync(restore.Id, ct).ConfigureAwait(false);
        var done = await restores.GetAsync(restore.Id, ct).ConfigureAwait(false);
        if (done?.Status != RestoreStatus.Succeeded)
        {
            throw new RunFailedException($"Restoring the content failed: {done?.Error ?? "the restore is gone"}");
        }

        log.Add($"Restored into place: {string.Join(", ", parts)}.");
        foreach (var line in done.Log.Split('\n').Where(l => l.Contains("the domain's owner", StringComparison.OrdinalIgnoreCase)))
        {
            log.Add(line.Split("  ", 2)[^1].TrimEnd()); // who the imported files belong to, without the restore log's time
        }
    }

    private async Task RollBackAsync(string domainName, Guid domainId, Guid? backupId, List<string> newFolders, Dictionary<string, string> names, AuditActor actor, RunLog log)
    {
        if (backupId is { } id && await backups.GetAsync(id, CancellationToken.None).ConfigureAwait(false) is { IsFinished: true })
        {
            await backups.DeleteAsync(id, actor, CancellationToken.None).ConfigureAwait(false);
        }

        await domains.DeleteAsync(domainId, actor, CancellationToken.None).ConfigureAwait(false);
        foreach (var folder in newFolders)
        {
            DirectoryHandle.DeleteTree(folder);
        }

        log.Add($"Rolled back: the new domain, its imported backup and the folders the import created ({string.Join(", ", newFolders)}) were removed.");
        log.Add($"{domainName}: databases the restore may have created, to drop if unused: {(names.Count == 0 ? "none" : string.Join(", ", names.Values))}.");
    }

    /// <summary>Why one of the accounts the dumps would be loaded with could run SQL against the server itself, or null.</summary>
    private async Task<string?> PrivilegedAccountAsync(ImportDomainPreview domain, ImportRequest request, CancellationToken ct)
    {
        foreach (var engine in domain.Databases.Select(d => d.Engine).Distinct())
        {
            var (kind, server) = engine == "postgresql" ? (DatabaseEngine.PostgreSql, request.PostgreSql) : (DatabaseEngine.MySql, request.MySql);
            var connection = new DatabaseConnection(kind, server.Host.Trim(), server.Port, "", server.User.Trim(),
                string.IsNullOrEmpty(server.Password) ? null : secrets.Unprotect(server.Password));
            try
            {
                if (await DatabasePrivileges.DangerousAsync(connection, ct).ConfigureAwait(false) is { } what)
                {
                    return $"The {(kind == DatabaseEngine.PostgreSql ? "PostgreSQL" : "MySQL/MariaDB")} account {connection.User} has {what}: a dump loaded with it could read, write or run "
                        + "things on the database server itself (COPY … PROGRAM, SELECT … INTO OUTFILE). Give an account without it; only an Admin can confirm using it anyway.";
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or MySqlConnector.MySqlException or TimeoutException)
            {
                return $"Cannot check the {connection.User} account on {connection.Host}:{connection.Port}: {ex.Message}";
            }
        }

        return null;
    }

    private void AddDatabases(DomainInput input, ImportDomainPreview domain, Dictionary<string, string> names, ImportRequest request)
    {
        foreach (var database in domain.Databases)
        {
            var engine = database.Engine == "postgresql" ? DatabaseEngine.PostgreSql : DatabaseEngine.MySql;
            var target = names[ImportRequest.DatabaseKey(database.Engine, database.Name)];
            var server = engine == DatabaseEngine.PostgreSql ? request.PostgreSql : request.MySql;
            if (input.Databases.Any(d => d.Engine == engine && d.Name == target))
            {
                continue; // an existing domain keeps its own server settings for it
            }

            input.Databases.Add(new DatabaseInput
            {
                Engine = engine, Host = server.Host.Trim(), Port = server.Port, Name = target, User = server.User.Trim(),
                NewPassword = string.IsNullOrEmpty(server.Password) ? null : secrets.Unprotect(server.Password),
            });
        }
    }
}
