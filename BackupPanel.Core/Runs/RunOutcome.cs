namespace BackupPanel.Core.Runs;

/// <summary>How a run's work ended.</summary>
public enum RunResult
{
    Succeeded,
    Cancelled,
    Failed,
}

/// <summary>
/// How a run's work ended, classified by <see cref="ExpectedFailure"/>: the error in words (clipped for the row), the
/// exception that caused it, and whether that exception is a bug (thrown on once the run is recorded).
/// </summary>
public sealed record RunOutcome(RunResult Result, string? Error, Exception? Cause, bool IsBug)
{
    public static readonly RunOutcome Succeeded = new(RunResult.Succeeded, null, null, false);

    public static readonly RunOutcome Cancelled = new(RunResult.Cancelled, null, null, false);

    /// <summary>Throws the bug again, with its original stack trace, once the run's failure is saved.</summary>
    public void ThrowIfBug()
    {
        if (IsBug && Cause is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(Cause).Throw();
        }
    }
}
