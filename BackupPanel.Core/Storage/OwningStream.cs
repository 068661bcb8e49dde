namespace BackupPanel.Core.Storage;

/// <summary>
/// A read stream that also closes what it came from when it is closed: a download handed to a web response keeps its
/// backend's connection (an SFTP session) alive exactly as long as it is read.
/// </summary>
public sealed class OwningStream(Stream inner, IAsyncDisposable owner) : ReadOnlyStream(inner)
{
    protected override async ValueTask OnCloseAsync()
    {
        await Inner.DisposeAsync().ConfigureAwait(false);
        await owner.DisposeAsync().ConfigureAwait(false);
    }

    protected override void OnClose(bool leaveInnerOpen)
    {
        base.OnClose(leaveInnerOpen);
        owner.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
