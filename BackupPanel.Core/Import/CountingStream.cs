namespace BackupPanel.Core.Import;

/// <summary>A read-only pass-through that counts the bytes read (the packed side of <see cref="UnpackGuard"/>'s ratio).</summary>
internal sealed class CountingStream(Stream inner, bool leaveOpen) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
