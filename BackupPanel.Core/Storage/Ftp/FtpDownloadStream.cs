using System.Net;

namespace BackupPanel.Core.Storage.Ftp;

/// <summary>
/// A download's data stream that owns its request: closed before the end (a range read, a failed check), it aborts
/// the transfer instead of letting FtpWebRequest wait for the rest of the file.
/// </summary>
internal sealed class FtpDownloadStream(FtpWebRequest request, FtpWebResponse response) : ReadOnlyStream(response.GetResponseStream())
{
    private bool _ended;

    public override long Length => throw new NotSupportedException();

    public override int Read(Span<byte> buffer) => Ended(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Ended(await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    protected override void OnClose(bool leaveInnerOpen)
    {
        if (!_ended)
        {
            request.Abort();
        }

        try
        {
            base.OnClose(leaveInnerOpen);
            response.Dispose();
        }
        catch (WebException)
        {
            // Closing an aborted transfer reports the abort; it was ours.
        }
    }

    private int Ended(int read)
    {
        _ended |= read == 0;
        return read;
    }
}
