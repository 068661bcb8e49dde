using BackupPanel.Core.Data;

namespace BackupPanel.Core.Runs;

/// <summary>A run that may have been abandoned: its id, and the id its run lock is taken on.</summary>
public sealed record RunningRun(Guid Id, Guid LockId);

/// <summary>
/// One kind of run (backups, restores, imports) as the <see cref="InterruptedRunSweeper"/> sees it. Each feature
/// that holds a <see cref="RunLock"/> while its runs work provides one, so the sweeper knows no feature.
/// </summary>
public interface IInterruptedRuns
{
    /// <summary>The lock the kind's runs hold while they work.</summary>
    RunLockScope Scope { get; }

    /// <summary>The kind's runs marked Running.</summary>
    Task<IReadOnlyList<RunningRun>> RunningAsync(BackupPanelDbContext db, CancellationToken ct);

    /// <summary>
    /// Called with the run's lock held: re-reads the run (it may have finished just before the lock was taken) and, if
    /// it is still Running, marks it failed with the reason and saves. Returns a line for the log, or null when it had finished.
    /// </summary>
    Task<string?> MarkInterruptedAsync(BackupPanelDbContext db, Guid id, CancellationToken ct);
}
