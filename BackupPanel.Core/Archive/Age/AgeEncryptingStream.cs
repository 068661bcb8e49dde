using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BackupPanel.Core.Archive.Age;

/// <summary>
/// Write-only stream that encrypts to age v1 recipients: header, 16-byte nonce, then ChaCha20-Poly1305 STREAM
/// chunks of 64 KiB. Disposing writes the final chunk, so dispose only after everything was written successfully.
/// </summary>
public sealed class AgeEncryptingStream : Stream
{
    /// <summary>The plaintext size of every chunk but the last.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _plain = new byte[ChunkSize];
    private readonly byte[] _cipher = new byte[ChunkSize + 16];
    private readonly byte[] _nonce = new byte[12];
    private byte[]? _pendingHeader;
    private int _filled;
    private ulong _counter;
    private bool _finished;
    private bool _innerDisposed;

    /// <summary>Starts an age file on <paramref name="inner"/> readable by any of <paramref name="recipients"/>.</summary>
    public AgeEncryptingStream(Stream inner, IReadOnlyList<AgeRecipient> recipients, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is needed.", nameof(recipients));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        var fileKey = RandomNumberGenerator.GetBytes(AgeHeader.FileKeySize);
        var nonce = RandomNumberGenerator.GetBytes(AgeHeader.NonceSize);
        _pendingHeader = [.. AgeHeader.Build(fileKey, recipients), .. nonce];
        _aead = new ChaCha20Poly1305(AgeHeader.DeriveKey(fileKey, nonce, "payload"));
        CryptographicOperations.ZeroMemory(fileKey);
    }

    /// <inheritdoc />
    public override bool CanRead => false;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => !_finished;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_filled == ChunkSize)
            {
                _inner.Write(SealChunk(last: false).Span);
            }

            buffer = Fill(buffer);
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_filled == ChunkSize)
            {
                await _inner.WriteAsync(SealChunk(last: false), cancellationToken).ConfigureAwait(false);
            }

            var taken = Math.Min(buffer.Length, ChunkSize - _filled);
            Fill(buffer.Span[..taken]);
            buffer = buffer[taken..];
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes the final chunk. Called by Dispose; afterwards the stream accepts no more data.</summary>
    public void Finish()
    {
        if (!_finished)
        {
            _inner.Write(SealChunk(last: true).Span);
            _finished = true;
        }
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await _inner.WriteAsync(SealChunk(last: true)).ConfigureAwait(false);
            _finished = true;
        }

        if (!_leaveOpen && !_innerDisposed)
        {
            _innerDisposed = true;
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
            _aead.Dispose();
            if (!_leaveOpen && !_innerDisposed)
            {
                _innerDisposed = true;
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private ReadOnlySpan<byte> Fill(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var taken = Math.Min(buffer.Length, ChunkSize - _filled);
        buffer[..taken].CopyTo(_plain.AsSpan(_filled));
        _filled += taken;
        return buffer[taken..];
    }

    private ReadOnlyMemory<byte> SealChunk(bool last)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(3, 8), _counter++);
        _nonce[11] = last ? (byte)1 : (byte)0;
        _aead.Encrypt(_nonce, _plain.AsSpan(0, _filled), _cipher.AsSpan(0, _filled), _cipher.AsSpan(_filled, 16));
        var length = _filled + 16;
        _filled = 0;
        if (_pendingHeader is { } header)
        {
            // The header goes out with the first chunk, so nothing reaches the inner stream before data does.
            _pendingHeader = null;
            return (byte[])[.. header, .. _cipher.AsSpan(0, length)];
        }

        return _cipher.AsMemory(0, length);
    }
}
