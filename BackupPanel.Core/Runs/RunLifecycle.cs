using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Runs;

/// <summary>What a run's work sees: its log, its live progress and its cancellation (the job's, or a person's cancel).</summary>
public sealed record RunContext(RunLog Log, RunProgress Progress, CancellationToken Token);

/// <summary>
/// The part of a run that every kind shares, written once: the work runs with live progress on the run's row and a
/// cancellation linked to the job's; its end is classified (<see cref="ExpectedFailure"/>) and logged; the finished row
/// is saved with its log whatever the job's token says. The feature keeps what is its own: it loads and claims its
/// row, holds its <see cref="RunLock"/>, turns the outcome into its status, and raises its <see cref="RunEvent"/>s.
/// </summary>
public sealed class RunLifecycle(IDbContextFactory<BackupPanelDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>A new log for a run (timestamps from the panel's clock).</summary>
    public RunLog NewLog() => new(clock);

    /// <summary>
    /// Does <paramref name="work"/> with progress written through <paramref name="flush"/>; returns how it ended. An
    /// expected failure is logged as "Failed: …", a bug as "Unexpected error: …" (thrown on later by
    /// <see cref="RunOutcome.ThrowIfBug"/>); a cancel, by the job or through the progress row, ends as Cancelled.
    /// </summary>
    public async Task<RunOutcome> WorkAsync(RunLog log, ProgressFlush flush, long? total, Func<RunContext, Task> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(work);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var progress = new RunProgress(dbFactory, flush, clock, cancel) { Total = total };
            await using (progress.ConfigureAwait(false))
            {
                await work(new RunContext(log, progress, cancel.Token)).ConfigureAwait(false);
            }

            return RunOutcome.Succeeded;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return RunOutcome.Cancelled;
        }
        catch (Exception ex) when (ExpectedFailure.Is(ex))
        {
            var error = RunLog.Clip(ex.Message, 4000);
            log.Add("Failed: " + error);
            return new RunOutcome(RunResult.Failed, error, ex, IsBug: false);
        }
        catch (Exception ex)
        {
            // A bug, not a user's problem: the run still ends as failed and never looks alive; the job keeps the stack trace.
            var error = "Unexpected error: " + RunLog.Clip(ex.Message, 3000);
            log.Add(error);
            return new RunOutcome(RunResult.Failed, error, ex, IsBug: true);
        }
    }

    /// <summary>Records the end on the row — finished now, no phase, the log — and saves, even when the job is being cancelled.</summary>
    public async Task FinishAsync(BackupPanelDbContext db, IRunRecord row, RunLog log)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        row.FinishedAt = clock.GetUtcNow();
        row.Phase = null;
        db.Entry(row).Property(nameof(IRunRecord.Phase)).IsModified = true; // progress was written around the tracker
        row.Log = log.ToString();
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
