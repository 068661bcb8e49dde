using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Runs;

/// <summary>
/// On nodes that run jobs: sweeps for runs whose node died every <c>interval</c> (BackupPanel:InterruptedRunSweepSeconds),
/// so that a backup a killed worker was writing is queued again on a live node within that time, not at the next start.
/// </summary>
public sealed partial class InterruptedRunWatcher(InterruptedRunSweeper sweeper, TimeSpan interval, ILogger<InterruptedRunWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(interval);
        while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex); // the database may be away for a moment; the next tick tries again
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for interrupted runs failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
