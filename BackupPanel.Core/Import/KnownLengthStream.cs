using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Import;

/// <summary>
/// An archive entry's data with its length from the entry header, for <see cref="System.Formats.Tar.TarWriter"/>
/// (which asks Length and Position to write the header first; it never seeks). Data shorter than the header says
/// is a truncated archive: an error, never a silently short file.
/// </summary>
internal sealed class KnownLengthStream(Stream inner, long length) : ReadOnlyStream(inner, leaveOpen: true)
{
    private long _position;

    public override bool CanSeek => true; // TarWriter reads Length and Position to write the header first; it never seeks

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, length - _position);
        if (want <= 0)
        {
            return 0;
        }

        var n = Inner.Read(buffer[..want]);
        if (n == 0)
        {
            throw new EndOfStreamException($"An archive entry ends {length - _position:N0} bytes before its header says.");
        }

        _position += n;
        return n;
    }

    // Imports read synchronously; an asynchronous read keeps the same count.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
}
