using Hangfire;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A real Hangfire job that holds a worker until the test releases it: with the test app's single worker, nothing
/// queued meanwhile starts, so a test can act on queued work deterministically (no sleeps).
/// </summary>
public sealed class BlockingTestJob
{
    private static readonly SemaphoreSlim Started = new(0);
    private static readonly SemaphoreSlim Released = new(0);

    [Queue("restores")]
    [AutomaticRetry(Attempts = 0)]
    public static async Task HoldAsync()
    {
        Started.Release();
        await Released.WaitAsync(TimeSpan.FromMinutes(3));
    }

    /// <summary>Queues the job and returns once it runs (the worker is then held); dispose to release it.</summary>
    public static async Task<IDisposable> HoldWorkerAsync(IBackgroundJobClient jobs)
    {
        jobs.Enqueue(() => HoldAsync());
        Assert.True(await Started.WaitAsync(TimeSpan.FromSeconds(60)), "the blocking job did not start within 60 s");
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        public void Dispose() => Released.Release();
    }
}
