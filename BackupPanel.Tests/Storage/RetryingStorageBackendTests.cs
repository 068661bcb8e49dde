using BackupPanel.Core.Storage;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Storage;

public sealed class RetryingStorageBackendTests : IDisposable
{
    private static readonly RetryPolicy Quick = new() { Attempts = 3, FirstDelay = TimeSpan.FromMilliseconds(5) };
    private readonly string _root = TestPaths.NewTempDir("retry");
    private readonly List<string> _retries = [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Put_TransientTwiceThenWorks_ReplaysTheWholeContentAndSucceeds()
    {
        var flaky = new FlakyBackend(new LocalStorageBackend(_root), failures: 2, StorageErrorKind.Transient);
        var backend = new RetryingStorageBackend(flaky, Quick, TimeProvider.System, _retries.Add);

        var proof = await backend.PutAndReadBackAsync("a.bin", new MemoryStream([1, 2, 3, 4, 5]), default);

        Assert.Equal(3, flaky.Calls);
        Assert.Equal(5, proof.Size);
        Assert.Equal([1, 2, 3, 4, 5], await File.ReadAllBytesAsync(Path.Combine(_root, "a.bin")));
        Assert.Equal(2, _retries.Count);
        Assert.StartsWith("Attempt 1 of 3 failed writing 'a.bin'", _retries[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_TransientEveryTime_GivesUpAfterThePolicysAttemptsSayingSo()
    {
        var flaky = new FlakyBackend(new LocalStorageBackend(_root), failures: 10, StorageErrorKind.Transient);
        var backend = new RetryingStorageBackend(flaky, Quick, TimeProvider.System, _retries.Add);

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(3, flaky.Calls);
        Assert.Equal(StorageErrorKind.Transient, ex.Kind);
        Assert.EndsWith("(failed 3 times)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageErrorKind.Permanent)]
    [InlineData(StorageErrorKind.NotFound)]
    public async Task Stat_NonTransientError_FailsAtOnce(StorageErrorKind kind)
    {
        var flaky = new FlakyBackend(new LocalStorageBackend(_root), failures: 10, kind);
        var backend = new RetryingStorageBackend(flaky, Quick, TimeProvider.System, _retries.Add);

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.StatAsync("a.bin", default));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(1, flaky.Calls);
        Assert.Empty(_retries);
    }

    [Fact]
    public async Task Put_PipeThatCannotSeek_IsTriedOnce()
    {
        var flaky = new FlakyBackend(new LocalStorageBackend(_root), failures: 1, StorageErrorKind.Transient);
        var backend = new RetryingStorageBackend(flaky, Quick, TimeProvider.System, _retries.Add);

        await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new GeneratedStream(1000, null), default));

        Assert.Equal(1, flaky.Calls);
    }

    [Fact]
    public async Task List_TransientBeforeTheFirstObject_IsRetried()
    {
        await File.WriteAllBytesAsync(Path.Combine(_root, "x.bin"), [1]);
        var flaky = new FlakyBackend(new LocalStorageBackend(_root), failures: 1, StorageErrorKind.Transient);
        var backend = new RetryingStorageBackend(flaky, Quick, TimeProvider.System, _retries.Add);

        var keys = new List<string>();
        await foreach (var item in backend.ListAsync("", default)) keys.Add(item.Key);

        Assert.Equal(["x.bin"], keys);
        Assert.Single(_retries);
    }

    [Fact]
    public async Task Put_CancelledWhileWaiting_StopsAtOnce()
    {
        using var cts = new CancellationTokenSource();
        var flaky = new FlakyBackend(new LocalStorageBackend(_root), failures: 10, StorageErrorKind.Transient);
        var backend = new RetryingStorageBackend(flaky, RetryPolicy.Default, TimeProvider.System, _ => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), cts.Token));

        Assert.Equal(1, flaky.Calls);
    }

    [Fact]
    public void DelayAfter_Default_Is5Then10Then20SecondsWithin20Percent()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(RetryPolicy.Default.DelayAfter(1).TotalSeconds, 4, 6);
            Assert.InRange(RetryPolicy.Default.DelayAfter(2).TotalSeconds, 8, 12);
            Assert.InRange(RetryPolicy.Default.DelayAfter(3).TotalSeconds, 16, 24);
        }

        Assert.Equal(3, RetryPolicy.Default.Attempts);
    }

    /// <summary>Fails the first <c>failures</c> calls of put/stat/list with the given kind, then forwards.</summary>
    private sealed class FlakyBackend(IStorageBackend inner, int failures, StorageErrorKind kind) : PassThroughBackend(inner)
    {
        public int Calls { get; private set; }

        public override async Task PutAsync(string key, Stream content, CancellationToken ct)
        {
            Fail();
            await base.PutAsync(key, content, ct);
        }

        public override Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct)
        {
            Fail();
            return base.StatAsync(key, ct);
        }

        public override async IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            Fail();
            await foreach (var item in base.ListAsync(prefix, ct)) yield return item;
        }

        private void Fail()
        {
            if (++Calls <= failures) throw new StorageException(kind, $"Simulated {kind} failure {Calls}.");
        }
    }
}
