using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

/// <summary>The handle-level calls a restore makes per file: write at an offset, set the modification time.</summary>
public sealed class UnixFileTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("unixfile");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("2026-11-25T02:03:41.1234567Z")]
    [InlineData("1960-05-01T12:00:00.9999999Z")]
    [InlineData("1969-12-31T23:59:59.5Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("2200-01-01T00:00:00.0000001Z")]
    public void SetModifiedTime_ToTheTick_AccessTimeUntouched(string when)
    {
        var path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "x");
        var accessed = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastAccessTimeUtc(path, accessed);
        var modified = DateTimeOffset.Parse(when, System.Globalization.CultureInfo.InvariantCulture);

        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
        {
            UnixFile.SetModifiedTime(handle, modified);
        }

        Assert.Equal(modified.UtcDateTime, File.GetLastWriteTimeUtc(path));
        Assert.Equal(accessed, File.GetLastAccessTimeUtc(path));
    }

    [Fact]
    public void WriteAt_PiecesAtOffsets_FileHasThemAll()
    {
        var data = RandomNumberGenerator.GetBytes(3_000_000);
        var path = Path.Combine(_dir, "w");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            UnixFile.WriteAt(handle, data.AsSpan(1_000_000), 1_000_000);
            UnixFile.WriteAt(handle, data.AsSpan(0, 1_000_000), 0);
        }

        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteAt_ReadOnlyHandle_IoErrorSayingWhy()
    {
        var path = Path.Combine(_dir, "r");
        File.WriteAllText(path, "x");
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);

        var ex = Assert.Throws<IOException>(() => UnixFile.WriteAt(handle, [1, 2, 3], 0));

        Assert.Contains("Bad file descriptor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenForReading_RegularFile_ReadsIt()
    {
        var path = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(path, "hello");
        using var handle = UnixFile.OpenForReading(path);
        var buffer = new byte[10];

        Assert.Equal(5, RandomAccess.Read(handle, buffer, 0));
    }

    [Fact]
    public void OpenForReading_SymbolicLink_IsNotFollowed()
    {
        // A file swapped for a link after the walk looked at it: the link's target must never be read.
        var secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(secret, "root only");
        var link = Path.Combine(_dir, "index.html");
        File.CreateSymbolicLink(link, secret);

        var ex = Assert.Throws<IOException>(() => UnixFile.OpenForReading(link));

        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenForReading_Fifo_DoesNotBlock()
    {
        var fifo = Path.Combine(_dir, "fifo");
        await Shell.RunAsync("mkfifo", [fifo]);

        // Without O_NONBLOCK the open would wait for a writer forever.
        var open = Task.Run(() => UnixFile.OpenForReading(fifo));

        using var handle = await open.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(handle.IsInvalid);
    }

    [Fact]
    public void OpenForReading_Missing_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => UnixFile.OpenForReading(Path.Combine(_dir, "gone.txt")));
    }

    [Fact]
    public void ReadAt_Offsets_AndZeroAtTheEnd()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var path = Path.Combine(_dir, "data.bin");
        File.WriteAllBytes(path, data);
        using var handle = UnixFile.OpenForReading(path);
        var buffer = new byte[60_000];

        Assert.Equal(60_000, UnixFile.ReadAt(handle, buffer, 30_000));
        Assert.Equal(data.AsSpan(30_000, 60_000).ToArray(), buffer);
        Assert.Equal(10_000, UnixFile.ReadAt(handle, buffer, 90_000));
        Assert.Equal(0, UnixFile.ReadAt(handle, buffer, 100_000));
    }

    [Fact]
    public async Task ReadAt_FifoSwappedIn_IoErrorNotAHang()
    {
        var fifo = Path.Combine(_dir, "fifo2");
        await Shell.RunAsync("mkfifo", [fifo]);
        using var handle = UnixFile.OpenForReading(fifo);

        var ex = Assert.Throws<IOException>(() => UnixFile.ReadAt(handle, new byte[10], 0));

        Assert.Contains("Illegal seek", ex.Message, StringComparison.Ordinal);
    }
}
