using System.Buffers;
using System.Security.Cryptography;
using BackupPanel.Core.Archive;

namespace BackupPanel.Tests.Archive;

/// <summary>The chunk hand-off between pipeline stages: bytes arrive whole and in order, failures travel, nothing hangs.</summary>
public sealed class PipeStageTests
{
    [Fact]
    public async Task MixedWrites_ArriveWholeAndInOrder_ByReadAndByChunks()
    {
        var data = RandomNumberGenerator.GetBytes(5 * PipeStage.ChunkSize + 12_345);
        foreach (var byChunks in new[] { false, true })
        {
            var stage = PipeStage.Start(async (output, token) =>
            {
                var position = 0;
                var step = 0;
                while (position < data.Length)
                {
                    var count = Math.Min(data.Length - position, (step * 7919 % 300_000) + 1);
                    switch (step++ % 3)
                    {
                        case 0:
                            output.Write(data, position, count);
                            break;
                        case 1:
                            await output.WriteAsync(data.AsMemory(position, count), token);
                            break;
                        default:
                            var writer = (IBufferWriter<byte>)output;
                            var span = writer.GetSpan(Math.Min(count, 64 * 1024));
                            count = Math.Min(count, span.Length);
                            data.AsSpan(position, count).CopyTo(span);
                            writer.Advance(count);
                            break;
                    }

                    position += count;
                }
            }, CancellationToken.None);
            await using (stage)
            {
                var received = new MemoryStream();
                if (byChunks)
                {
                    foreach (var chunk in stage.ReadChunks())
                    {
                        received.Write(chunk.Span);
                    }
                }
                else
                {
                    var buffer = new byte[777];
                    int read;
                    while ((read = stage.Output.Read(buffer)) > 0)
                    {
                        received.Write(buffer, 0, read);
                    }
                }

                await stage.Completion;
                Assert.Equal(SHA256.HashData(data), SHA256.HashData(received.ToArray()));
                Assert.Equal(0, stage.Output.Read(new byte[10]));
            }
        }
    }

    [Fact]
    public async Task WriterFails_ReaderGetsThatErrorAfterTheBytesBeforeIt()
    {
        var stage = PipeStage.Start((output, _) =>
        {
            output.Write(new byte[3 * PipeStage.ChunkSize]);
            throw new InvalidDataException("pg_dump exited with code 1");
        }, CancellationToken.None);
        await using (stage)
        {
            var buffer = new byte[PipeStage.ChunkSize];
            long total = 0;
            var ex = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            {
                int read;
                while ((read = await stage.Output.ReadAsync(buffer)) > 0)
                {
                    total += read;
                }
            });

            Assert.Equal("pg_dump exited with code 1", ex.Message);
            Assert.Equal(3L * PipeStage.ChunkSize, total);
            await Assert.ThrowsAsync<InvalidDataException>(() => stage.Completion);
        }
    }

    [Fact]
    public async Task ReaderStopsEarly_WriterStopsInsteadOfWaitingForever()
    {
        var stage = PipeStage.Start((output, _) =>
        {
            var block = new byte[64 * 1024];
            for (var i = 0; i < 100_000; i++)
            {
                output.Write(block);
            }

            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.True(stage.Output.Read(new byte[100]) > 0);

        await stage.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stage.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Cancelled_WriterBlockedOnAFullPipe_Ends()
    {
        using var cts = new CancellationTokenSource();
        long written = 0;
        var stage = PipeStage.Start(async (output, token) =>
        {
            var block = new byte[256 * 1024];
            while (true)
            {
                await output.WriteAsync(block, token);
                Interlocked.Add(ref written, block.Length);
            }
        }, cts.Token);
        await using (stage)
        {
            // Nobody reads: the writer fills the few chunks there are and waits; memory stays bounded.
            await Infrastructure.Poll.UntilAsync(() => Interlocked.Read(ref written) >= 3 * PipeStage.ChunkSize, "the writer to fill the pipe");
            Assert.False(stage.Completion.IsCompleted);

            await cts.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stage.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(Interlocked.Read(ref written) <= PipeStage.MaxBufferedBytes, $"{written:N0} bytes went into a pipe nobody read");
        }
    }

    [Fact]
    public async Task Dispose_ReturnsOnlyWhenTheStageHasEnded_SoWhatItReadsCanBeClosed()
    {
        // Found in CI: a restore whose consumer failed closed the hashing source while the decrypting stage still read
        // it ("Concurrent operations from multiple threads"). The stage below needs a moment to end after it is told.
        using var never = new ManualResetEventSlim();
        var ended = false;
        var stage = PipeStage.Start((output, token) =>
        {
            try
            {
                var chunk = new byte[PipeStage.ChunkSize];
                while (true)
                {
                    output.Write(chunk);
                }
            }
            finally
            {
                never.Wait(TimeSpan.FromMilliseconds(500), CancellationToken.None);
                Volatile.Write(ref ended, true);
            }
        }, CancellationToken.None);

        await stage.DisposeAsync();

        Assert.True(Volatile.Read(ref ended), "DisposeAsync returned while the stage was still running");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stage.Completion);
    }
}
