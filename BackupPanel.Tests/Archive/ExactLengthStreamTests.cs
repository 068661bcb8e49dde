using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

/// <summary>
/// A file's tar entry always matches its header, even when the file changes while it is read (a live log), and the
/// change is noticed for a warning — into a pipeline stage's chunks (the backup's path) and into a plain stream.
/// </summary>
public sealed class ExactLengthStreamTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("exact");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int, int, bool> Cases => new()
    {
        // file size, size in the header, into a stage
        { 0, 0, true }, { 4096, 4096, true }, { 3_000_000, 3_000_000, true }, { 4096, 4096, false },
        { 5, 0, true }, { 5000, 4096, true }, { 3_000_001, 3_000_000, true }, { 5000, 4096, false },
        { 0, 10, true }, { 4096, 5000, true }, { 2_000_000, 3_000_000, true }, { 4096, 5000, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CopyTo_WritesExactlyTheHeaderLength_AndNoticesAChange(int fileSize, int announced, bool intoStage)
    {
        var content = RandomNumberGenerator.GetBytes(fileSize);
        var path = Path.Combine(_dir, "live.log");
        await File.WriteAllBytesAsync(path, content);
        var expected = new byte[announced];
        content.AsSpan(0, Math.Min(fileSize, announced)).CopyTo(expected);

        bool changed;
        byte[] copied;
        using (var data = new ExactLengthStream(File.OpenHandle(path), announced))
        {
            copied = intoStage ? await CopyThroughStageAsync(data) : CopyToMemory(data);
            changed = data.Changed;
        }

        Assert.Equal(expected, copied);
        Assert.Equal(fileSize != announced, changed);
    }

    private static byte[] CopyToMemory(Stream data)
    {
        using var memory = new MemoryStream();
        data.CopyTo(memory);
        return memory.ToArray();
    }

    private static async Task<byte[]> CopyThroughStageAsync(Stream data)
    {
        var stage = PipeStage.Start((output, _) =>
        {
            data.CopyTo(output);
            return Task.CompletedTask;
        }, CancellationToken.None);
        await using (stage)
        {
            using var memory = new MemoryStream();
            await stage.Output.CopyToAsync(memory);
            await stage.Completion;
            return memory.ToArray();
        }
    }
}
