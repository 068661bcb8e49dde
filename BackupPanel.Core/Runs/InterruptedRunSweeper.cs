using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Runs;

/// <summary>
/// Finds runs left "Running" by a process that died (crash, kill, power loss) and marks them failed. Every run holds
/// its <see cref="RunLock"/> until its result is saved, so a Running run whose lock is free has no process any more.
/// Nothing is deleted here: an abandoned backup's folder has no manifest, and the domain's next run removes it.
/// </summary>
public sealed partial class InterruptedRunSweeper(
    IDbContextFactory<BackupPanelDbContext> dbFactory, IEnumerable<IInterruptedRuns> kinds, ILogger<InterruptedRunSweeper> logger)
{
    /// <summary>Marks every abandoned run failed; returns how many there were.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var connectionString = db.Database.GetConnectionString()!;
        var swept = 0;
        foreach (var kind in kinds)
        {
            foreach (var run in await kind.RunningAsync(db, ct).ConfigureAwait(false))
            {
                var runLock = await RunLock.TryAcquireAsync(connectionString, kind.Scope, run.LockId, ct).ConfigureAwait(false);
                if (runLock is null)
                {
                    continue; // its run is alive (here or on another node)
                }

                await using (runLock.ConfigureAwait(false))
                {
                    if (await kind.MarkInterruptedAsync(db, run.Id, ct).ConfigureAwait(false) is { } line)
                    {
                        swept++;
                        LogSwept(logger, line);
                    }
                }
            }
        }

        return swept;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Run} was interrupted and is marked failed")]
    private static partial void LogSwept(ILogger logger, string run);
}
