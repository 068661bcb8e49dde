namespace BackupPanel.Core.Storage;

/// <summary>
/// Wraps a failure of the content stream a backend was given, so the backend can tell it from its own I/O errors:
/// the backend cleans up and rethrows the original, unclassified (the source's problem is not the destination's).
/// </summary>
internal sealed class SourceFailedException(Exception inner) : Exception(inner.Message, inner)
{
    /// <summary>
    /// The content as a library that reads it itself sees it (SSH.NET's pipelined upload): a read that fails throws
    /// <see cref="SourceFailedException"/>. Closing it leaves the content open (the caller's).
    /// </summary>
    public static Stream Guard(Stream content) => new GuardedStream(content);

    private sealed class GuardedStream(Stream content) : ReadOnlyStream(content, leaveOpen: true)
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return Inner.Read(buffer);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SourceFailedException(ex);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested(); // the upload stops even if the content ignores the token
            try
            {
                return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SourceFailedException(ex);
            }
        }
    }
}
