namespace BackupPanel.Core.Archive;

/// <summary>
/// Reads at most <c>limit</c> bytes from <c>inner</c>: the first byte past it is an
/// <see cref="ArchiveCorruptException"/> naming the component, so a destination cannot make a restore read on without
/// end.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string component, string what) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Allowed(buffer.Length)]));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // One byte past the limit is asked for, so that a longer stream is seen at once.
    private int Allowed(int wanted) => limit - _read >= wanted ? wanted : (int)(limit - _read) + 1;

    private int Count(int read)
    {
        _read += read;
        return _read > limit
            ? throw new ArchiveCorruptException(component, $"has more than the {limit:N0} {what} bytes the manifest declares; stopped there")
            : read;
    }
}
