using System.Text.Json;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Import;

/// <summary>The inspection job's work: fetch the archive when it is on a destination (streamed to disk), inspect it, save the preview or the refusal.</summary>
public sealed class ImportInspection(IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, ArchiveInspector inspector, Security.Paths.PathGuard paths)
{
    public async Task RunAsync(Guid importId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var run = await db.ImportRuns.SingleOrDefaultAsync(r => r.Id == importId, ct).ConfigureAwait(false);
        if (run is not { Status: ImportStatus.Inspecting })
        {
            return;
        }

        try
        {
            if (run.SourceDestinationId is { } destinationId)
            {
                run.Phase = "downloading";
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                await DownloadAsync(db, destinationId, run.SourceKey!, run.ArchivePath, ct).ConfigureAwait(false);
            }

            if (!run.OwnsArchive)
            {
                await paths.RequireAsync(run.ArchivePath, Security.Paths.PathUse.Data, ct).ConfigureAwait(false); // a server path: again at run time
            }

            run.Phase = "inspecting";
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            var preview = await Task.Run(() => inspector.Inspect(run.ArchivePath, ct), ct).ConfigureAwait(false);
            (run.PreviewJson, run.Status) = (JsonSerializer.Serialize(preview, ImportService.Json), ImportStatus.Ready);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Refused for a reason the message says; anything else is a bug, but the run must not stay "Inspecting".
            var known = ex is ImportRefusedException or StorageException or IOException or UnauthorizedAccessException;
            (run.Status, run.Error) = (ImportStatus.Refused, RunLog.Clip((known ? "" : "Unexpected error: ") + ex.Message, 4000));
            if (run.OwnsArchive)
            {
                File.Delete(run.ArchivePath); // nothing can come of it
            }

            if (!known)
            {
                throw; // recorded on the run; the job shows the stack trace
            }
        }
        finally
        {
            run.Phase = null;
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task DownloadAsync(BackupPanelDbContext db, Guid destinationId, string key, string path, CancellationToken ct)
    {
        var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == destinationId, ct).ConfigureAwait(false)
            ?? throw new ImportRefusedException("The destination the archive was on was removed from the panel.");
        var backend = storage.Open(destination);
        await using var backendScope = backend.ConfigureAwait(false);
        PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
        try
        {
            var source = await backend.OpenReadAsync(key, null, ct).ConfigureAwait(false);
            await using var sourceScope = source.ConfigureAwait(false);
            var file = PrivateFiles.Create(path, FileMode.Create, FileAccess.Write, 1 << 20);
            await using var fileScope = file.ConfigureAwait(false);
            await source.CopyToAsync(file, ct).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            throw new ImportRefusedException($"{destination.Name} has no {key}.", ex);
        }
    }
}
