using System.Text.Json;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackupPanel.Core.Import;

/// <summary>
/// Imports of external archives: takes the archive (a streamed upload, a path on the server, or an object on a
/// destination), queues its inspection, and after the person chose what and where, queues the import
/// (<see cref="ImportRunner"/>). Every step is audited; nothing is written to any domain before the import job.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, IBackgroundJobClient jobs, AuditService audit, SecretProtector secrets,
    DestinationStorage storage, IOptions<ImportOptions> options, TimeProvider clock, Security.Paths.PathGuard paths)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where uploads and downloads are kept while they are inspected and imported.</summary>
    public string UploadDirectory => options.Value.UploadDirectory ?? Path.Combine(storage.SpoolDirectory, "imports");

    /// <summary>
    /// Streams an upload to disk (never into memory), refusing names of other types and bodies over the size limit
    /// (the partial file is removed), then queues the inspection.
    /// </summary>
    public async Task<SaveResult> CreateFromUploadAsync(string? fileName, Stream body, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length is 0 or > 255 || !options.Value.AllowedUploadTypes.Any(t => name.EndsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            return SaveResult.Failed("File", $"Upload a tar archive: a file ending in {string.Join(", ", options.Value.AllowedUploadTypes)} (the content decides the format).");
        }

        var id = Guid.NewGuid();
        PrivateFiles.CreateFolder(UploadDirectory);
        var path = Path.Combine(UploadDirectory, $"{id:N}.upload");
        var limit = options.Value.MaxUploadBytes;
        try
        {
            var file = PrivateFiles.Create(path, FileMode.CreateNew, FileAccess.Write, 1 << 20);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 20];
                long total = 0;
                while (await body.ReadAsync(buffer, ct).ConfigureAwait(false) is > 0 and var n)
                {
                    if ((total += n) > limit)
                    {
                        throw new ImportRefusedException($"The file is larger than the upload limit of {Units.Bytes(limit)} (BackupPanel:Import:MaxUploadBytes): "
                            + "put it on the server and import it by path, or raise the limit.");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is ImportRefusedException or IOException or OperationCanceledException)
        {
            File.Delete(path);
            return ex is OperationCanceledException ? SaveResult.Failed("File", "The upload was interrupted; nothing was kept.")
                : SaveResult.Failed("File", ex.Message);
        }

        return await CreateAsync(new ImportRun { Id = id, SourceName = name, ArchivePath = path, OwnsArchive = true }, actor, ct).ConfigureAwait(false);
    }

    /// <summary>Which of the archive's domains are domains of this panel already (an import would update them).</summary>
    public async Task<IReadOnlyList<string>> ExistingDomainsAsync(ImportPreview preview, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await ExistingAsync(db, preview.Domains.Select(d => d.Name).ToList(), ct).ConfigureAwait(false);
    }

    private static async Task<List<string>> ExistingAsync(BackupPanelDbContext db, List<string> names, CancellationToken ct) =>
        await db.Domains.AsNoTracking().Where(d => names.Contains(d.Name)).Select(d => d.Name).OrderBy(n => n).ToListAsync(ct).ConfigureAwait(false);

    /// <summary>An archive file or unpacked folder already on this server (read in place; never changed or removed).</summary>
    public async Task<SaveResult> CreateFromServerPathAsync(string? path, AuditActor actor, CancellationToken ct)
    {
        var trimmed = path?.Trim() ?? "";
        if (!Restore.RestoreService.IsSafeDirectory(trimmed) || !(File.Exists(trimmed) || Directory.Exists(trimmed)))
        {
            return SaveResult.Failed("Path", "Give the absolute path of an archive file or an unpacked archive folder on this server (it must exist and be readable by the panel).");
        }

        if (await paths.CheckAsync(trimmed, Security.Paths.PathUse.Data, ct).ConfigureAwait(false) is { } refused)
        {
            return SaveResult.Failed("Path", refused);
        }

        return await CreateAsync(new ImportRun { Id = Guid.NewGuid(), SourceName = trimmed, ArchivePath = trimmed }, actor, ct).ConfigureAwait(false);
    }

    /// <summary>An archive stored on one of the panel's destinations: downloaded (streamed) by the inspection job.</summary>
    public async Task<SaveResult> CreateFromDestinationAsync(Guid destinationId, string? key, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == destinationId, ct).ConfigureAwait(false);
        var trimmed = key?.Trim().TrimStart('/') ?? "";
        if (destination is null)
        {
            return SaveResult.Failed("DestinationId", "Choose the destination the archive is on.");
        }

        if (trimmed.Length is 0 or > 1024 || trimmed.Split('/').Contains("..") || trimmed.Contains('\0', StringComparison.Ordinal))
        {
            return SaveResult.Failed("Key", "Give the archive's path on that destination, relative to its folder (e.g. imports/cpmove-alice.tar.gz).");
        }

        var id = Guid.NewGuid();
        return await CreateAsync(new ImportRun
        {
            Id = id, SourceName = $"{destination.Name}: {trimmed}", SourceDestinationId = destinationId, SourceKey = trimmed,
            ArchivePath = Path.Combine(UploadDirectory, $"{id:N}.download"), OwnsArchive = true,
        }, actor, ct).ConfigureAwait(false);
    }

    /// <summary>Validates the choices against the preview and queues the import job.</summary>
    public async Task<SaveResult> StartAsync(Guid importId, ImportRequest request, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var run = await db.ImportRuns.SingleOrDefaultAsync(r => r.Id == importId, ct).ConfigureAwait(false);
        if (run is not { Status: ImportStatus.Ready } || PreviewOf(run) is not { } preview)
        {
            return SaveResult.Failed("Import", run is null ? "This import does not exist." : $"Only an inspected archive can be imported; this one is {run.Status}.");
        }

        var errors = ImportRequestRules.Validate(request, preview, await db.Destinations.AnyAsync(d => d.Id == request.DestinationId, ct).ConfigureAwait(false));
        foreach (var (field, template) in new[] { (nameof(ImportRequest.FilesRoot), request.FilesRoot), (nameof(ImportRequest.MailRoot), request.MailRoot) })
        {
            foreach (var domain in errors.ContainsKey(field) || string.IsNullOrWhiteSpace(template) ? [] : ImportRequestRules.Chosen(request, preview))
            {
                if (await paths.CheckAsync(template!.Trim().Replace("{domain}", domain.Name, StringComparison.Ordinal), Security.Paths.PathUse.Data, ct).ConfigureAwait(false) is { } refused)
                {
                    errors[field] = refused;
                    break;
                }
            }
        }

        if (request.AllowPrivilegedAccounts && !actor.IsAdmin)
        {
            errors[nameof(ImportRequest.AllowPrivilegedAccounts)] = "Only an Admin can allow database accounts with superuser, SUPER or FILE rights.";
        }

        var existing = await ExistingAsync(db, ImportRequestRules.Chosen(request, preview).Select(d => d.Name).ToList(), ct).ConfigureAwait(false);
        if (existing.Count > 0 && !request.UpdateExisting)
        {
            errors[nameof(ImportRequest.UpdateExisting)] = $"{string.Join(", ", existing.Take(10))} {(existing.Count == 1 ? "is a domain" : "are domains")} of this panel already: "
                + "tick 'Update existing domains' to replace their content with the archive's (a safety backup is taken first), or leave them out.";
        }

        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        run.RequestJson = JsonSerializer.Serialize(Protected(request), Json);
        run.Status = ImportStatus.Queued;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var domains = ImportRequestRules.Chosen(request, preview).Select(d => d.Name).ToList();
        jobs.Enqueue<ImportArchiveJob>(j => j.RunAsync(importId, CancellationToken.None));
        await audit.WriteAsync(actor, AuditActions.ImportStarted, AuditOutcome.Success, "import", run.Id.ToString(),
            RunLog.Clip($"{preview.Format} archive {run.SourceName}: {string.Join(", ", domains)}", 4000), ct).ConfigureAwait(false);
        return SaveResult.Saved(importId);
    }

    public async Task<ImportRun?> GetAsync(Guid importId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.ImportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == importId, ct).ConfigureAwait(false);
    }

    /// <summary>The latest imports, newest first.</summary>
    public async Task<IReadOnlyList<ImportRun>> ListAsync(int take, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(take).ToListAsync(ct).ConfigureAwait(false);
    }

    public static ImportPreview? PreviewOf(ImportRun run) =>
        run?.PreviewJson is { } json ? JsonSerializer.Deserialize<ImportPreview>(json, Json) : null;

    public static IReadOnlyList<ImportDomainResult> ResultsOf(ImportRun run) =>
        run?.ResultsJson is { } json ? JsonSerializer.Deserialize<List<ImportDomainResult>>(json, Json) ?? [] : [];

    private async Task<SaveResult> CreateAsync(ImportRun run, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        (run.CreatedAt, run.RequestedBy, run.Status) = (clock.GetUtcNow(), actor.UserName, ImportStatus.Inspecting);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        db.ImportRuns.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        jobs.Enqueue<ImportArchiveJob>(j => j.InspectAsync(run.Id, CancellationToken.None));
        await audit.WriteAsync(actor, AuditActions.ImportCreated, AuditOutcome.Success, "import", run.Id.ToString(), RunLog.Clip(run.SourceName, 4000), ct).ConfigureAwait(false);
        return SaveResult.Saved(run.Id);
    }

    /// <summary>The request as stored: database passwords encrypted (Data Protection), like every stored secret.</summary>
    private ImportRequest Protected(ImportRequest request)
    {
        var copy = JsonSerializer.Deserialize<ImportRequest>(JsonSerializer.Serialize(request, Json), Json)!;
        foreach (var server in new[] { copy.MySql, copy.PostgreSql }.Where(s => !string.IsNullOrEmpty(s.Password)))
        {
            server.Password = secrets.Protect(server.Password!);
        }

        return copy;
    }
}
