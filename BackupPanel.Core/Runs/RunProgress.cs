using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Runs;

/// <summary>Writes one progress sample to a run's row and answers whether someone asked to cancel it.</summary>
public delegate Task<bool> ProgressFlush(BackupPanelDbContext db, string phase, long done, long? total, DateTimeOffset at, CancellationToken ct);

/// <summary>
/// Live progress of a run (backup, verify, restore): the engine reports bytes as they stream; once a second this
/// writes phase and bytes to the run's row (what the pages show) and reads back whether someone asked to cancel.
/// </summary>
public sealed class RunProgress : IAsyncDisposable
{
    private readonly IDbContextFactory<BackupPanelDbContext> _dbFactory;
    private readonly ProgressFlush _flush;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _done;
    private long _phaseStart;
    private string _phase = "starting";

    public RunProgress(IDbContextFactory<BackupPanelDbContext> dbFactory, ProgressFlush flush, TimeProvider clock, CancellationTokenSource cancel)
    {
        _dbFactory = dbFactory;
        _flush = flush;
        _clock = clock;
        _loop = Task.Run(() => LoopAsync(cancel));
    }

    /// <summary>Bytes expected in all, when known.</summary>
    public long? Total { get; set; }

    /// <summary>Starts a new phase; bytes keep adding up across phases.</summary>
    public void Phase(string phase)
    {
        _phase = phase;
        _phaseStart = Interlocked.Read(ref _done);
    }

    /// <summary>The engine's callback: bytes done so far in the current phase.</summary>
    public void Report(long bytesInPhase) => Interlocked.Exchange(ref _done, _phaseStart + bytesInPhase);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationTokenSource cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _clock);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            var db = await _dbFactory.CreateDbContextAsync(_stop.Token).ConfigureAwait(false);
            await using var dbScope = db.ConfigureAwait(false);
            var done = Interlocked.Read(ref _done);
            if (await _flush(db, _phase, done, Total, _clock.GetUtcNow(), _stop.Token).ConfigureAwait(false))
            {
                await cancel.CancelAsync().ConfigureAwait(false);
            }
        }
    }
}
