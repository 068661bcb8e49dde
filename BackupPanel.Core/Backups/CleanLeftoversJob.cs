using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Nightly: removes incomplete backup folders (no manifest) untouched for a day from every enabled destination —
/// what crashed runs left behind for domains that have not been backed up since (a run cleans its own domain first).
/// Only folders the catalog knows as its own runs that ended are touched: never a running backup's, never one the panel
/// did not make (whatever its name).
/// </summary>
public sealed partial class CleanLeftoversJob(IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, TimeProvider clock, ILogger<CleanLeftoversJob> log)
{
    public const string NightlyId = "leftovers-nightly";

    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(1);

    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Remove incomplete backup folders")]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        List<Destination> destinations;
        HashSet<string> ours;
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            destinations = await db.Destinations.AsNoTracking().Where(d => d.IsEnabled).ToListAsync(ct).ConfigureAwait(false);
            ours = [.. await db.Backups.AsNoTracking().Where(b => b.FolderKey != null && b.Status != BackupStatus.Running && b.Status != BackupStatus.Queued)
                .Select(b => b.FolderKey!).ToListAsync(ct).ConfigureAwait(false)];
        }

        var removed = 0;
        foreach (var destination in destinations)
        {
            try
            {
                var backend = storage.Open(destination);
                await using var backendScope = backend.ConfigureAwait(false);
                var folders = await LeftoverCleaner.RemoveStaleAsync(backend, clock.GetUtcNow() - MinimumAge, ours, ct).ConfigureAwait(false);
                removed += folders.Count;
                foreach (var folder in folders)
                {
                    LogRemoved(log, destination.Name, folder);
                }
            }
            catch (StorageException ex)
            {
                LogUnreachable(log, destination.Name, ex.Message); // tried again tomorrow; backups to it report it too
            }
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed an incomplete backup folder at {Destination}: {Folder}")]
    private static partial void LogRemoved(ILogger logger, string destination, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not clean incomplete folders at {Destination}: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string destination, string reason);
}
