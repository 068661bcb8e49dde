namespace BackupPanel.Core.Import;

/// <summary>A read-only stream that replays bytes already read from another stream (to sniff a format), then goes on with it.</summary>
internal sealed class HeadStream(byte[] head, int offset, Stream rest, bool leaveOpen) : Stream
{
    private int _offset = offset;
    private int _left = head.Length - offset;

    /// <summary>Reads up to <paramref name="size"/> bytes from <paramref name="inner"/> (fewer only at its end).</summary>
    public static byte[] Peek(Stream inner, int size)
    {
        var buffer = new byte[size];
        var read = 0;
        while (read < size && inner.Read(buffer, read, size - read) is > 0 and var n)
        {
            read += n;
        }

        return buffer[..read];
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_left > 0)
        {
            var n = Math.Min(_left, buffer.Length);
            head.AsSpan(_offset, n).CopyTo(buffer);
            (_offset, _left) = (_offset + n, _left - n);
            return n;
        }

        return rest.Read(buffer);
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
