namespace BackupPanel.Tests.Infrastructure;

/// <summary>Waits on a condition (never a fixed sleep): checks it, then again every interval, until a timeout.</summary>
public static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; a <see cref="TimeoutException"/> names what never came.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 120, int intervalMs = 100)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
        while (!await condition())
        {
            try
            {
                await tick.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for {what}.");
            }
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, int timeoutSeconds = 120, int intervalMs = 100) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeoutSeconds, intervalMs);
}
