namespace BackupPanel.Core.Runs;

/// <summary>
/// A run cannot go on for a reason outside the panel's code — a missing root, an unreachable database, a tool that
/// failed, a removed domain or destination. Its message is written for the person who reads the run's page. A
/// feature may derive its own (an import's refused archive) and it is still an <see cref="ExpectedFailure"/>.
/// </summary>
public class RunFailedException : Exception
{
    public RunFailedException() { }

    public RunFailedException(string message) : base(message) { }

    public RunFailedException(string message, Exception inner) : base(message, inner) { }
}
