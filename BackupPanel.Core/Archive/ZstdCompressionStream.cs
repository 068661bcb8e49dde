using System.Runtime.InteropServices;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Write-only zstd compression (one frame, content checksum on, multi-threaded) onto an inner stream. Dispose ends
/// the frame: dispose only after everything was written successfully, so a failure never looks like a complete frame.
/// </summary>
public sealed class ZstdCompressionStream : Stream
{
    private const int OutputSize = 1 << 20;
    private readonly Stream _inner;
    private readonly byte[] _output = GC.AllocateArray<byte>(OutputSize, pinned: true);
    private nint _context;

    /// <summary>Starts a frame at <paramref name="level"/> (1–19) using <paramref name="workers"/> threads (0 = one per core).</summary>
    public ZstdCompressionStream(Stream inner, int level, int workers)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _context = Zstd.CreateCompressor();
        if (_context == 0)
        {
            throw new InvalidOperationException("zstd: cannot create a compression context (out of memory?).");
        }

        Zstd.Check(Zstd.SetParameter(_context, Zstd.CompressionLevelParameter, level));
        Zstd.Check(Zstd.SetParameter(_context, Zstd.ChecksumFlagParameter, 1));
        Zstd.Check(Zstd.SetParameter(_context, Zstd.WorkersParameter, workers > 0 ? workers : Environment.ProcessorCount));
    }

    /// <inheritdoc />
    public override bool CanRead => false;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => _context != 0;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_context == 0, this);
        fixed (byte* source = buffer)
        {
            var input = new Zstd.Buffer { Data = (nint)source, Size = (nuint)buffer.Length };
            while (input.Position < input.Size)
            {
                Compress(ref input, Zstd.EndContinue);
            }
        }
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_context != 0)
        {
            try
            {
                if (disposing)
                {
                    var input = default(Zstd.Buffer);
                    while (Compress(ref input, Zstd.EndFrame) != 0)
                    {
                    }
                }
            }
            finally
            {
                Zstd.FreeCompressor(_context);
                _context = 0;
            }
        }

        base.Dispose(disposing);
    }

    private nuint Compress(ref Zstd.Buffer input, int directive)
    {
        var output = new Zstd.Buffer { Data = Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0), Size = OutputSize };
        var remaining = Zstd.Check(Zstd.CompressStream(_context, ref output, ref input, directive));
        if (output.Position > 0)
        {
            _inner.Write(_output, 0, (int)output.Position);
        }

        return remaining;
    }
}
