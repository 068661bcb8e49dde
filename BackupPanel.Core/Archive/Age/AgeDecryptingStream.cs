using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BackupPanel.Core.Archive.Age;

/// <summary>
/// Read-only stream over an age v1 file: the header is read and checked when the stream is created (wrong key or a
/// tampered header throw <see cref="AgeException"/> there), then each 64 KiB chunk is authenticated before any of
/// its bytes are returned. Truncation, reordering and trailing data are detected.
/// </summary>
public sealed class AgeDecryptingStream : Stream
{
    private const int SealedChunk = AgeEncryptingStream.ChunkSize + 16;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _sealed = new byte[SealedChunk + 1];
    private readonly byte[] _plain = new byte[AgeEncryptingStream.ChunkSize];
    private readonly byte[] _nonce = new byte[12];
    private int _sealedLength;
    private int _plainPosition;
    private int _plainLength;
    private ulong _counter;
    private bool _done;

    /// <summary>Opens an age file from <paramref name="inner"/> with the first of <paramref name="identities"/> that matches.</summary>
    public AgeDecryptingStream(Stream inner, IReadOnlyList<AgeIdentity> identities, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(identities);
        _inner = inner;
        _leaveOpen = leaveOpen;
        var fileKey = AgeHeader.Open(ReadHeaderLine, identities);
        Span<byte> nonce = stackalloc byte[AgeHeader.NonceSize];
        if (Take(nonce) < AgeHeader.NonceSize)
        {
            throw new AgeException("The age file is truncated (no payload).");
        }

        _aead = new ChaCha20Poly1305(AgeHeader.DeriveKey(fileKey, nonce, "payload"));
        CryptographicOperations.ZeroMemory(fileKey);
    }

    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_plainPosition == _plainLength && !_done)
        {
            while (_sealedLength <= SealedChunk && Fill(_inner.Read(_sealed, _sealedLength, _sealed.Length - _sealedLength)))
            {
            }

            Open();
        }

        return CopyOut(buffer);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_plainPosition == _plainLength && !_done)
        {
            while (_sealedLength <= SealedChunk &&
                   Fill(await _inner.ReadAsync(_sealed.AsMemory(_sealedLength), cancellationToken).ConfigureAwait(false)))
            {
            }

            Open();
        }

        return CopyOut(buffer.Span);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aead.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private bool Fill(int read)
    {
        _sealedLength += read;
        return read > 0;
    }

    /// <summary>Authenticates and decrypts the buffered chunk; it is the last one when no byte follows it.</summary>
    private void Open()
    {
        var last = _sealedLength <= SealedChunk;
        var length = last ? _sealedLength : SealedChunk;
        if (length < 16 || (last && length == 16 && _counter > 0))
        {
            throw new AgeException("The age file is truncated or damaged (incomplete final chunk).");
        }

        BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(3, 8), _counter);
        _nonce[11] = last ? (byte)1 : (byte)0;
        try
        {
            _aead.Decrypt(_nonce, _sealed.AsSpan(0, length - 16), _sealed.AsSpan(length - 16, 16), _plain.AsSpan(0, length - 16));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new AgeException($"The age file is damaged, truncated or tampered with (chunk {_counter} failed authentication).", ex);
        }

        _counter++;
        _plainPosition = 0;
        _plainLength = length - 16;
        _done = last;
        _sealed[0] = _sealed[SealedChunk];
        _sealedLength = last ? 0 : 1;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _plainLength - _plainPosition);
        _plain.AsSpan(_plainPosition, count).CopyTo(buffer);
        _plainPosition += count;
        return count;
    }

    /// <summary>Reads header bytes into the chunk buffer; what follows the header stays there as payload.</summary>
    private string? ReadHeaderLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_sealedLength == 0 && !Fill(_inner.Read(_sealed, 0, _sealed.Length)))
            {
                return null;
            }

            var newline = Array.IndexOf(_sealed, (byte)'\n', 0, _sealedLength);
            var end = newline < 0 ? _sealedLength : newline;
            if (line.Length + end > 4096)
            {
                throw new AgeException("Not an age file (no line break in the header).");
            }

            line.Append(Encoding.ASCII.GetString(_sealed, 0, end));
            Consume(newline < 0 ? end : end + 1);
            if (newline >= 0)
            {
                return line.ToString();
            }
        }
    }

    private int Take(Span<byte> destination)
    {
        var taken = 0;
        while (taken < destination.Length)
        {
            if (_sealedLength == 0 && !Fill(_inner.Read(_sealed, 0, _sealed.Length)))
            {
                break;
            }

            var count = Math.Min(destination.Length - taken, _sealedLength);
            _sealed.AsSpan(0, count).CopyTo(destination[taken..]);
            Consume(count);
            taken += count;
        }

        return taken;
    }

    private void Consume(int count)
    {
        _sealed.AsSpan(count, _sealedLength - count).CopyTo(_sealed);
        _sealedLength -= count;
    }
}
