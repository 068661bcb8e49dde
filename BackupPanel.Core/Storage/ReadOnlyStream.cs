namespace BackupPanel.Core.Storage;

/// <summary>
/// A forward-only read view of another stream, the base of the storage layer's wrappers: they change what a read
/// does (<see cref="Read(Span{byte})"/>, <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>) or what closing
/// does, and inherit the rest. Closing closes the inner stream unless <paramref name="leaveOpen"/>.
/// </summary>
public abstract class ReadOnlyStream(Stream inner, bool leaveOpen = false) : Stream
{
    protected Stream Inner => inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool _closed;

    public sealed override async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await OnCloseAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false); // Dispose(true): closed already, only the base's part
        GC.SuppressFinalize(this);
    }

    /// <summary>What closing does, once: closes the inner stream unless it was to be left open.</summary>
    protected virtual void OnClose(bool leaveInnerOpen)
    {
        if (!leaveInnerOpen)
        {
            inner.Dispose();
        }
    }

    /// <summary>What closing asynchronously does, once; by default the same as <see cref="OnClose(bool)"/>.</summary>
    protected virtual ValueTask OnCloseAsync()
    {
        OnClose(leaveOpen);
        return ValueTask.CompletedTask;
    }

    protected sealed override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            OnClose(leaveOpen);
        }

        base.Dispose(disposing);
    }
}
