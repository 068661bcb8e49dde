using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Runs one stage of a stream pipeline on its own thread, like a process in <c>tar | zstd | age</c>. The stage writes
/// into a small fixed set of 1 MiB chunks (flat memory) that the next stage takes whole: the writer can fill a chunk in
/// place (<see cref="IBufferWriter{T}"/>) and the reader can hash or compress it where it lies (<see cref="ReadChunks"/>),
/// so the data is not copied into and out of a pipe. A failing stage fails the reader with its exception; a reader
/// that stops early stops the stage. The two ends, as streams, are in PipeStage.Streams.cs.
/// </summary>
internal sealed partial class PipeStage : IAsyncDisposable
{
    /// <summary>Size of one chunk, the most a writer's <see cref="IBufferWriter{T}.GetSpan"/> hands out.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>The most a stage holds for its reader: memory stays flat however large the stream.</summary>
    public const int MaxBufferedBytes = Chunks * ChunkSize;

    // 8 MiB a stage: enough slack for a producer between small and large files (measured against 4: 3.38 s against
    // 3.53 s for a 1 GiB create, the same CPU; 16 gained nothing more).
    private const int Chunks = 8;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly ConcurrentQueue<ArraySegment<byte>> _full = new();
    // Counts of free and of filled chunks; waits block on the stage's own thread, and await in async callers.
    private readonly SemaphoreSlim _freeCount = new(Chunks);
    private readonly SemaphoreSlim _fullCount = new(0);
    private readonly ReaderStream _output;
    private volatile bool _readerGone;
    private volatile bool _writerDone;
    private Exception? _failure;

    private PipeStage(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        for (var i = 0; i < Chunks; i++)
        {
            _free.Enqueue(GC.AllocateUninitializedArray<byte>(ChunkSize));
        }

        _output = new ReaderStream(this);
        // Its own thread, not the thread pool's: a stage spends its life blocked on its neighbours.
        Completion = Task.Factory.StartNew(() => RunAsync(write, ct), CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The stage's output, as a stream.</summary>
    public Stream Output => _output;

    /// <summary>Completes when the stage finished writing (or faults with its error).</summary>
    public Task Completion { get; }

    /// <summary>Starts <paramref name="write"/> on a thread of its own.</summary>
    public static PipeStage Start(Func<Stream, CancellationToken, Task> write, CancellationToken ct) => new(write, ct);

    /// <summary>The stage's output chunk by chunk, without copying; each chunk is valid until the next one is asked for.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> ReadChunks() => _output.ReadChunks();

    /// <summary>
    /// Stops reading: a stage still writing wakes up, sees that nobody reads, and ends. Returns when it has ended, so
    /// that whatever the stage reads from can be closed after this (its outcome is the caller's through
    /// <see cref="Completion"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _readerGone = true;
        _freeCount.Release(Chunks);
        await Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        try
        {
            var input = new WriterStream(this, ct);
            await write(input, ct).ConfigureAwait(false);
            input.PostCurrent();
        }
        catch (Exception ex)
        {
            _failure = ex;
            throw;
        }
        finally
        {
            _writerDone = true;
            _fullCount.Release();
        }
    }

    private byte[] TakeFree(CancellationToken ct)
    {
        _freeCount.Wait(ct);
        return Free();
    }

    private async ValueTask<byte[]> TakeFreeAsync(CancellationToken ct)
    {
        await _freeCount.WaitAsync(ct).ConfigureAwait(false);
        return Free();
    }

    private byte[] Free() => !_readerGone && _free.TryDequeue(out var chunk)
        ? chunk
        : throw new OperationCanceledException("The next stage stopped reading.");

    private void Post(ArraySegment<byte> chunk)
    {
        _full.Enqueue(chunk);
        _fullCount.Release();
    }

    private void Release(byte[] chunk)
    {
        _free.Enqueue(chunk);
        _freeCount.Release();
    }

    private ArraySegment<byte>? TakeFull()
    {
        _fullCount.Wait();
        return Full();
    }

    private async ValueTask<ArraySegment<byte>?> TakeFullAsync(CancellationToken ct)
    {
        await _fullCount.WaitAsync(ct).ConfigureAwait(false);
        return Full();
    }

    /// <summary>The next filled chunk, or null at the end; rethrows the stage's failure.</summary>
    private ArraySegment<byte>? Full()
    {
        if (_full.TryDequeue(out var chunk))
        {
            return chunk;
        }

        // The end: leave the count up so that every later read sees the end too.
        Debug.Assert(_writerDone, "a filled chunk was counted but not queued");
        _fullCount.Release();
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }

        return null;
    }
}
