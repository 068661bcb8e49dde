namespace BackupPanel.Core.Runs;

/// <summary>The kinds of run that others hear about.</summary>
public enum RunKind
{
    Backup,
    Verify,
    Restore,
    BulkRestore,
}

/// <summary>Where a run is when it is told.</summary>
public enum RunStage
{
    /// <summary>A backup's copies are stored (at some or all of its destinations): what follows a good backup may start.</summary>
    Stored,

    /// <summary>The run is over and its outcome saved (or it had run already): it may be reported.</summary>
    Ended,
}

/// <summary>Something that happened to a run (see <see cref="IRunObserver"/>).</summary>
/// <param name="Kind">What kind of run.</param>
/// <param name="Stage">Where it is.</param>
/// <param name="Id">The run's id: a backup's, a restore run's or a bulk restore's.</param>
/// <param name="PlanId">The plan that made it, when a plan did.</param>
public sealed record RunEvent(RunKind Kind, RunStage Stage, Guid Id, Guid? PlanId = null);

/// <summary>
/// Hears about runs to act on them afterwards: Notifications report them, Retention applies a plan's retention after
/// the plan's backup. This is how the rooms that run things reach the rooms above them without knowing them.
/// Contract: called from the run's own job after the run's state is saved; only queues work (never does it inline);
/// ignores what it has nothing to do with; does not throw for a run it cannot find.
/// </summary>
public interface IRunObserver
{
    void OnRunEvent(RunEvent e);
}

/// <summary>Tells every registered <see cref="IRunObserver"/>, in registration order.</summary>
public sealed class RunEvents(IEnumerable<IRunObserver> observers)
{
    public void Raise(RunEvent e)
    {
        foreach (var observer in observers)
        {
            observer.OnRunEvent(e);
        }
    }
}
