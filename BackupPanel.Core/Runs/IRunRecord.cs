namespace BackupPanel.Core.Runs;

/// <summary>The columns every run's row has, whatever it runs (a backup, a restore, an import).</summary>
public interface IRunRecord
{
    DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Live progress: the current step; null once the run is over.</summary>
    string? Phase { get; set; }

    /// <summary>The run's log, one line per step or warning.</summary>
    string Log { get; set; }
}
