using System.Text.Json;
using BackupPanel.Core.Data;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Import;

/// <summary>
/// Imports a checked archive, one domain after the other (see <see cref="DomainImport"/>): a domain that fails is
/// rolled back and the others go on. Records each domain's outcome, audits the whole, and removes an uploaded or
/// downloaded archive once every domain is in (its original is kept in the catalog).
/// </summary>
public sealed class ImportRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DomainImport domainImport, AuditService audit, TimeProvider clock, ILogger<ImportRunner> logger)
{
    public async Task RunAsync(Guid importId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var run = await db.ImportRuns.SingleOrDefaultAsync(r => r.Id == importId, ct).ConfigureAwait(false);
        if (run is not { Status: ImportStatus.Queued } || ImportService.PreviewOf(run) is not { } preview)
        {
            return; // ran already: an import is repeated only by a person
        }

        // Held until the outcome is saved: a Running import without its lock was abandoned by a dead process.
        var runLock = await RunLock.TryAcquireAsync(db.Database.GetConnectionString()!, RunLockScope.Import, run.Id, ct).ConfigureAwait(false);
        if (runLock is null)
        {
            return; // the same import is running elsewhere
        }

        await using var runLockScope = runLock.ConfigureAwait(false);

        var request = JsonSerializer.Deserialize<ImportRequest>(run.RequestJson!, ImportService.Json)!;
        (run.Status, run.StartedAt) = (ImportStatus.Running, clock.GetUtcNow());
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var log = new RunLog(clock);
        var results = new List<ImportDomainResult>();
        var domains = ImportRequestRules.Chosen(request, preview);
        try
        {
            log.Add($"Importing {domains.Count} domain(s) from the {preview.Format} archive {run.SourceName}.");
            foreach (var (domain, index) in domains.Select((d, i) => (d, i + 1)))
            {
                run.Phase = $"{index}/{domains.Count}: {domain.Name}";
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                var result = await domainImport.ImportAsync(run, preview, domain, request, log, ct).ConfigureAwait(false);
                results.Add(result);
                log.Add(result.Succeeded ? $"{domain.Name}: imported ({(result.Created ? "new domain" : "existing domain updated")}), backup {result.BackupId}."
                    : $"{domain.Name}: failed and rolled back: {result.Error}");
            }
        }
        finally
        {
            var ok = results.Count(r => r.Succeeded);
            run.Status = ok == domains.Count ? ImportStatus.Succeeded : ok > 0 ? ImportStatus.PartiallySucceeded : ImportStatus.Failed;
            run.Error = ok == domains.Count ? null : RunLog.Clip(string.Join(" ", results.Where(r => !r.Succeeded).Select(r => $"{r.Domain}: {r.Error}")), 4000)
                is { Length: > 0 } e ? e : "Interrupted before every domain was imported.";
            (run.ResultsJson, run.FinishedAt, run.Phase, run.Log) = (JsonSerializer.Serialize(results, ImportService.Json), clock.GetUtcNow(), null, log.ToString());
            if (run.Status == ImportStatus.Succeeded && run.OwnsArchive && File.Exists(run.ArchivePath))
            {
                File.Delete(run.ArchivePath);
            }

            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            await audit.WriteAsync(AuditActor.System, AuditActions.ImportFinished, run.Status == ImportStatus.Succeeded ? AuditOutcome.Success : AuditOutcome.Failure,
                "import", run.Id.ToString(), RunLog.Clip($"requested by {run.RequestedBy}: {ok} of {domains.Count} domain(s) imported. {run.Error}", 4000), CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Import {ImportId} of {Source}: {Status}", run.Id, run.SourceName, run.Status);
        }
    }
}
