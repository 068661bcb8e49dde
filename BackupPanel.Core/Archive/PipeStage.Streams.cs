using System.Buffers;

namespace BackupPanel.Core.Archive;

// The two ends of a PipeStage as streams.
internal sealed partial class PipeStage
{
    /// <summary>The writing end: fills chunks in place or by copying, and hands each one over when it is full.</summary>
    private sealed class WriterStream(PipeStage stage, CancellationToken ct) : Stream, IBufferWriter<byte>
    {
        private byte[]? _chunk;
        private int _used;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (_chunk is null || ChunkSize - _used < Math.Clamp(sizeHint, 1, ChunkSize))
            {
                PostCurrent();
                (_chunk, _used) = (stage.TakeFree(ct), 0);
            }

            return _chunk.AsMemory(_used);
        }

        public void Advance(int count)
        {
            _used += count;
            PostIfFull();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                buffer = Fill(buffer, GetSpan());
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (!buffer.IsEmpty)
            {
                if (_chunk is null || _used == ChunkSize)
                {
                    PostCurrent();
                    (_chunk, _used) = (await stage.TakeFreeAsync(ct).ConfigureAwait(false), 0);
                }

                buffer = buffer[(buffer.Length - Fill(buffer.Span, _chunk.AsSpan(_used)).Length)..];
            }
        }

        /// <summary>Nothing to do: a chunk goes when it is full, the last one when the stage ends.</summary>
        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>A full chunk goes at once, so the reader has everything written before a failure, whole chunks at least.</summary>
        private void PostIfFull()
        {
            if (_used == ChunkSize)
            {
                PostCurrent();
            }
        }

        public void PostCurrent()
        {
            if (_chunk is null)
            {
                return;
            }

            if (_used > 0)
            {
                stage.Post(new ArraySegment<byte>(_chunk, 0, _used));
            }
            else
            {
                stage.Release(_chunk);
            }

            _chunk = null;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        /// <summary>Copies what fits into <paramref name="target"/>; returns the rest.</summary>
        private ReadOnlySpan<byte> Fill(ReadOnlySpan<byte> data, Span<byte> target)
        {
            var count = Math.Min(target.Length, data.Length);
            data[..count].CopyTo(target);
            _used += count;
            PostIfFull();
            return data[count..];
        }
    }

    /// <summary>The reading end: copies out of the current chunk, or hands out whole chunks.</summary>
    private sealed class ReaderStream(PipeStage stage) : Stream
    {
        private ArraySegment<byte> _chunk;
        private int _offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public IEnumerable<ReadOnlyMemory<byte>> ReadChunks()
        {
            while (HasUnread() || Next(stage.TakeFull()))
            {
                yield return _chunk.AsMemory(_offset);
                _offset = _chunk.Count;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) =>
            buffer.IsEmpty || !(HasUnread() || Next(stage.TakeFull())) ? 0 : Copy(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            buffer.IsEmpty || !(HasUnread() || Next(await stage.TakeFullAsync(cancellationToken).ConfigureAwait(false))) ? 0 : Copy(buffer.Span);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>True when the current chunk has bytes left; otherwise gives the spent chunk back to the writer.</summary>
        private bool HasUnread()
        {
            if (_chunk.Array is null || _offset < _chunk.Count)
            {
                return _chunk.Array is not null;
            }

            stage.Release(_chunk.Array);
            _chunk = default;
            return false;
        }

        private bool Next(ArraySegment<byte>? next)
        {
            (_chunk, _offset) = (next ?? default, 0);
            return next is not null;
        }

        private int Copy(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, _chunk.Count - _offset);
            _chunk.AsSpan(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }
    }
}
