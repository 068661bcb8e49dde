using System.Runtime.InteropServices;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Read-only zstd decompression of one or more frames from an inner stream. A stream that ends inside a frame, or
/// holds no frame at all, throws <see cref="InvalidDataException"/>; frame checksums are verified by zstd.
/// </summary>
public sealed class ZstdDecompressionStream : Stream
{
    private const int InputSize = 1 << 20;
    private readonly Stream _inner;
    private readonly byte[] _input = GC.AllocateArray<byte>(InputSize, pinned: true);
    private Zstd.Buffer _inputBuffer;
    private nint _context;
    private bool _frameOpen;
    private bool _sawData;
    private bool _done;

    /// <summary>Decompresses what <paramref name="inner"/> holds; the inner stream is not disposed.</summary>
    public ZstdDecompressionStream(Stream inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _context = Zstd.CreateDecompressor();
        if (_context == 0)
        {
            throw new InvalidOperationException("zstd: cannot create a decompression context (out of memory?).");
        }

        _inputBuffer = new Zstd.Buffer { Data = Marshal.UnsafeAddrOfPinnedArrayElement(_input, 0) };
    }

    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override unsafe int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_context == 0, this);
        if (buffer.IsEmpty || _done)
        {
            return 0;
        }

        fixed (byte* target = buffer)
        {
            var output = new Zstd.Buffer { Data = (nint)target, Size = (nuint)buffer.Length };
            while (output.Position == 0)
            {
                if (_inputBuffer.Position == _inputBuffer.Size && !Refill())
                {
                    return 0;
                }

                _frameOpen = Zstd.Check(Zstd.DecompressStream(_context, ref output, ref _inputBuffer)) != 0;
            }

            return (int)output.Position;
        }
    }

    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_context != 0)
        {
            Zstd.FreeDecompressor(_context);
            _context = 0;
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads more input; at the end, a frame still open or no frame at all is an error.</summary>
    private bool Refill()
    {
        var read = _inner.Read(_input, 0, InputSize);
        if (read == 0)
        {
            _done = true;
            return _frameOpen || !_sawData
                ? throw new InvalidDataException(_sawData ? "zstd: the data ends inside a frame (truncated)." : "zstd: no compressed data.")
                : false;
        }

        _sawData = true;
        _inputBuffer.Size = (nuint)read;
        _inputBuffer.Position = 0;
        return true;
    }
}
