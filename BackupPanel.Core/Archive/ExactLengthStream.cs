using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Reads exactly <c>length</c> bytes from a file that may change while it is read (a live log): extra bytes are left
/// out and missing ones are zero-filled, so the tar entry always matches its header. <see cref="Changed"/> says
/// whether that happened, for a warning. Reads the handle directly (no FileStream: one object and one fstat less
/// per file, which counts with tens of thousands of small files).
/// </summary>
internal sealed class ExactLengthStream(SafeFileHandle handle, long length) : Stream
{
    // TarWriter copies entry data with Stream.CopyTo's 80 KiB buffer; 1 MiB reads mean a twelfth of the system calls
    // for large files (measured: less CPU).
    private const int CopyBufferSize = 1 << 20;
    // Into a stage's chunk: a read goes to a fresh chunk rather than into a few bytes left at the end of the last one.
    private const int MinChunkRead = 64 * 1024;
    private long _position;
    private bool _endChecked;

    /// <summary>The file was shorter than announced (zero-filled) or longer (cut).</summary>
    public bool Changed { get; private set; }

    public override bool CanRead => true;
    // TarWriter needs Length and Position to write the header before the data; it never seeks.
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            // A file that grew since its size was taken: checked here unless the last read already looked past the end.
            Changed |= _position == length && !_endChecked && RandomAccess.GetLength(handle) != length;
            _endChecked = true;
            return 0;
        }

        // The last read asks for one byte more when there is room: a file that grew answers with it (one system call
        // less per file than asking for the size afterwards, which counts with tens of thousands of small files).
        var lookPastEnd = wanted == length - _position && buffer.Length > wanted;
        var read = UnixFile.ReadAt(handle, buffer[..(lookPastEnd ? wanted + 1 : wanted)], _position);
        if (read == 0)
        {
            Changed = true;
            buffer[..wanted].Clear();
            read = wanted;
        }
        else if (read > wanted)
        {
            (Changed, read) = (true, wanted);
        }

        _endChecked = lookPastEnd && read == wanted;
        _position += read;
        return read;
    }

    public override void CopyTo(Stream destination, int bufferSize)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination is IBufferWriter<byte> chunks)
        {
            // A pipeline stage: read straight into its chunk, no copy in between.
            int count;
            while ((count = Read(chunks.GetSpan((int)Math.Min(length - _position + 1, MinChunkRead)))) > 0)
            {
                chunks.Advance(count);
            }

            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length - _position, 1, CopyBufferSize));
        try
        {
            int read;
            while ((read = Read(buffer)) > 0)
            {
                destination.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
