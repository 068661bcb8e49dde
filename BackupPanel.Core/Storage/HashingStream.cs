using System.IO.Hashing;
using System.Security.Cryptography;

namespace BackupPanel.Core.Storage;

/// <summary>
/// A pass-through stream that counts and SHA-256-hashes every byte written to or read from it, so checksums cost no
/// second pass. Reading hashes what the inner stream returns; writing hashes what goes to the inner stream. With
/// <paramref name="xxHash128"/>, it takes the much cheaper XXH3-128 instead (an end-to-end check, never a published
/// checksum).
/// </summary>
public sealed class HashingStream(Stream inner, bool leaveOpen = false, bool xxHash128 = false) : Stream
{
    private readonly IncrementalHash? _hash = xxHash128 ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly XxHash128? _xxHash = xxHash128 ? new XxHash128() : null;
    private byte[]? _digest;

    /// <summary>Bytes that went through so far.</summary>
    public long BytesTransferred { get; private set; }

    /// <summary>Called with the byte count after each write or read (for progress reports).</summary>
    public Action<long>? OnProgress { get; init; }

    /// <summary>The lower-case hex SHA-256 of everything that went through; ends the hashing.</summary>
    public string Sha256Hex => _hash is null ? throw new InvalidOperationException("This stream takes XXH3-128, not SHA-256.") : DigestHex;

    /// <summary>The lower-case hex digest (SHA-256, or XXH3-128) of everything that went through; ends the hashing.</summary>
    public string DigestHex => Convert.ToHexStringLower(Finish());

    /// <inheritdoc />
    public override bool CanRead => inner.CanRead;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => BytesTransferred; set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        return read;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Account(buffer);
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
            _hash?.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _hash?.AppendData(data);
        _xxHash?.Append(data);
        BytesTransferred += data.Length;
        OnProgress?.Invoke(BytesTransferred);
    }

    private byte[] Finish() => _digest ??= _hash?.GetHashAndReset() ?? _xxHash!.GetHashAndReset();
}
