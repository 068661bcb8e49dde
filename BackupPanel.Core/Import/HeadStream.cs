using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Import;

/// <summary>A read-only stream that replays bytes already read from another stream (to sniff a format), then goes on with it.</summary>
internal sealed class HeadStream(byte[] head, int offset, Stream rest, bool leaveOpen) : ReadOnlyStream(rest, leaveOpen)
{
    private int _offset = offset;
    private int _left = head.Length - offset;

    /// <summary>Reads up to <paramref name="size"/> bytes from <paramref name="inner"/> (fewer only at its end).</summary>
    public static byte[] Peek(Stream inner, int size)
    {
        var buffer = new byte[size];
        return buffer[..inner.ReadAtLeast(buffer, size, throwOnEndOfStream: false)];
    }

    public override int Read(Span<byte> buffer)
    {
        if (_left > 0)
        {
            var n = Math.Min(_left, buffer.Length);
            head.AsSpan(_offset, n).CopyTo(buffer);
            (_offset, _left) = (_offset + n, _left - n);
            return n;
        }

        return Inner.Read(buffer);
    }

    // Imports read synchronously; an asynchronous read replays the head the same way.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override long Length => throw new NotSupportedException();
}
