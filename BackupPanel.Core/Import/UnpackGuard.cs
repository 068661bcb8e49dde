using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Import;

/// <summary>
/// Counts what an archive unpacks to, over the archive and every nested one, and stops a decompression bomb: too many
/// bytes in all, too many entries, or a ratio of unpacked to packed bytes no real archive has.
/// </summary>
internal sealed class UnpackGuard(ImportOptions options)
{
    private const long RatioGrace = 64L << 20;
    private long _unpacked;
    private long _entries;

    public long Unpacked => _unpacked;

    public void CountEntry()
    {
        if (++_entries > options.MaxEntries)
        {
            throw new ImportRefusedException($"The archive holds more than {options.MaxEntries:N0} entries (BackupPanel:Import:MaxEntries): refused as a possible decompression bomb.");
        }
    }

    /// <summary>A stream that counts what is read from <paramref name="unpacked"/> against the packed bytes <paramref name="packed"/> has read.</summary>
    public Stream Watch(Stream unpacked, CountingStream packed, string what) => new Watched(this, unpacked, packed, what);

    private void Add(int bytes, CountingStream packed, string what)
    {
        _unpacked += bytes;
        if (_unpacked > options.MaxUnpackedBytes)
        {
            throw new ImportRefusedException($"{what} unpacks to more than {Units.Bytes(options.MaxUnpackedBytes)} (BackupPanel:Import:MaxUnpackedBytes): refused as a possible decompression bomb.");
        }

        var ratio = (double)_unpacked / Math.Max(1, packed.BytesRead);
        if (_unpacked > RatioGrace && ratio > options.MaxCompressionRatio)
        {
            throw new ImportRefusedException($"{what} unpacks to over {options.MaxCompressionRatio} times its packed size (BackupPanel:Import:MaxCompressionRatio): refused as a decompression bomb.");
        }
    }

    private sealed class Watched(UnpackGuard guard, Stream inner, CountingStream packed, string what) : ReadOnlyStream(inner)
    {
        public override int Read(Span<byte> buffer)
        {
            var n = Inner.Read(buffer);
            guard.Add(n, packed, what);
            return n;
        }

        // Imports read synchronously; an asynchronous read is watched the same way.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override long Length => throw new NotSupportedException();
    }
}
