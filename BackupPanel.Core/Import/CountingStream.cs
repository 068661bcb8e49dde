using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Import;

/// <summary>A read-only pass-through that counts the bytes read (the packed side of <see cref="UnpackGuard"/>'s ratio).</summary>
internal sealed class CountingStream(Stream inner, bool leaveOpen) : ReadOnlyStream(inner, leaveOpen)
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = Inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    // Imports read synchronously; an asynchronous read is counted the same way.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
}
