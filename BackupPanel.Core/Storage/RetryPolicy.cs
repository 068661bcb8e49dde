namespace BackupPanel.Core.Storage;

/// <summary>
/// How often and how patiently transient storage errors are retried: <see cref="Attempts"/> tries in all, waiting
/// <see cref="FirstDelay"/> after the first failure and twice as long after each next one (5 s → 10 s → 20 s), each
/// wait shifted by up to ±<see cref="Jitter"/> so that runs hit by one outage do not retry in lockstep.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>3 attempts, 5 s then 10 s apart, ±20 %.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Tries in all (1 = no retry).</summary>
    public int Attempts { get; init; } = 3;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A fraction of each wait (0.2 = ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based), jittered.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var nominal = FirstDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var jittered = nominal * (1 + ((Random.Shared.NextDouble() * 2) - 1) * Jitter);
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }
}
