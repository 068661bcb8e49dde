using System.Runtime.CompilerServices;

namespace BackupPanel.Core.Storage;

/// <summary>
/// Retries <see cref="StorageErrorKind.Transient"/> failures of another backend with exponential backoff and jitter
/// (restic's and kopia's retry decorator); NotFound and Permanent errors pass at once. A put is retried only when its
/// content stream can seek back to where it started (a spooled file can, a live pipe cannot); a listing only until its
/// first object was handed out; an opened read stream is the caller's. The probe is never retried: it reports the
/// destination as it is.
/// </summary>
public sealed class RetryingStorageBackend(IStorageBackend inner, RetryPolicy policy, TimeProvider clock, Action<string>? onRetry = null) : IStorageBackend
{
    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, CancellationToken ct) =>
        WithReplayAsync(content, $"writing '{key}'", async () =>
        {
            await inner.PutAsync(key, content, ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<StoredCopy> PutAndReadBackAsync(string key, Stream content, CancellationToken ct) =>
        WithReplayAsync(content, $"writing '{key}'", () => inner.PutAndReadBackAsync(key, content, ct), ct);

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, ByteRange? range, CancellationToken ct) =>
        RetryAsync($"opening '{key}'", () => inner.OpenReadAsync(key, range, ct), ct);

    /// <inheritdoc />
    public Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct) =>
        RetryAsync($"looking up '{key}'", () => inner.StatAsync(key, ct), ct);

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var items = inner.ListAsync(prefix, ct).GetAsyncEnumerator(ct);
            await using (items.ConfigureAwait(false))
            {
                bool any;
                try
                {
                    any = await items.MoveNextAsync().ConfigureAwait(false);
                }
                catch (StorageException ex) when (ex.Kind == StorageErrorKind.Transient && attempt < policy.Attempts)
                {
                    await WaitAsync(attempt, $"listing '{prefix}'", ex, ct).ConfigureAwait(false);
                    continue;
                }

                while (any)
                {
                    yield return items.Current;
                    any = await items.MoveNextAsync().ConfigureAwait(false);
                }

                yield break;
            }
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken ct) =>
        RetryAsync($"deleting '{key}'", async () =>
        {
            await inner.DeleteAsync(key, ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<StorageTestResult> TestAsync(CancellationToken ct) => inner.TestAsync(ct);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => inner.ToString() ?? "";

    private Task<T> WithReplayAsync<T>(Stream content, string what, Func<Task<T>> put, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            return put(); // a pipe cannot be replayed: one attempt, and the caller decides
        }

        var start = content.Position;
        return RetryAsync(what, () =>
        {
            content.Position = start;
            return put();
        }, ct);
    }

    private async Task<T> RetryAsync<T>(string what, Func<Task<T>> operation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.Transient && attempt < policy.Attempts)
            {
                await WaitAsync(attempt, what, ex, ct).ConfigureAwait(false);
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.Transient && policy.Attempts > 1)
            {
                throw new StorageException(StorageErrorKind.Transient, $"{ex.Message} (failed {policy.Attempts} times)", ex);
            }
        }
    }

    private async Task WaitAsync(int attempt, string what, StorageException ex, CancellationToken ct)
    {
        var delay = policy.DelayAfter(attempt);
        onRetry?.Invoke($"Attempt {attempt} of {policy.Attempts} failed {what} at {inner}: {ex.Message} Retrying in {delay.TotalSeconds:0.#} s.");
        await Task.Delay(delay, clock, ct).ConfigureAwait(false);
    }
}
