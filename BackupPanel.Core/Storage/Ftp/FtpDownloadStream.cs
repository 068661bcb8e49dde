using System.Net;

namespace BackupPanel.Core.Storage.Ftp;

/// <summary>
/// A download's data stream that owns its request: closed before the end (a range read, a failed check), it aborts
/// the transfer instead of letting FtpWebRequest wait for the rest of the file.
/// </summary>
internal sealed class FtpDownloadStream(FtpWebRequest request, FtpWebResponse response) : Stream
{
    private readonly Stream _inner = response.GetResponseStream();
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Ended(_inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Ended(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

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
            if (!_ended)
            {
                request.Abort();
            }

            try
            {
                _inner.Dispose();
                response.Dispose();
            }
            catch (WebException)
            {
                // Closing an aborted transfer reports the abort; it was ours.
            }
        }

        base.Dispose(disposing);
    }

    private int Ended(int read)
    {
        _ended |= read == 0;
        return read;
    }
}
