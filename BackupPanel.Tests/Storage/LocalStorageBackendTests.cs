using BackupPanel.Core.Archive;
using BackupPanel.Core.Storage;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Storage;

public sealed class LocalStorageBackendTests : StorageContractTests, IDisposable
{
    private readonly string _root = TestPaths.NewTempDir("local");

    public LocalStorageBackendTests() => Backend = new LocalStorageBackend(_root);

    protected override IStorageBackend Backend { get; }

    public void Dispose()
    {
        Shell.RunAsync("chattr", ["-i", _root]).GetAwaiter().GetResult();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Delete_LastObject_RemovesEmptyFolders()
    {
        await PutAsync("dom/2026/11/x/a.bin", [1]);

        await Backend.DeleteAsync("dom/2026/11/x/a.bin", default);

        Assert.Equal([LocalStorageBackend.PartialFolder], Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnyOperation_MissingRoot_PermanentErrorNamingTheFolder()
    {
        var backend = new LocalStorageBackend(Path.Combine(_root, "does-not-exist"));

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));
        var test = await backend.TestAsync(default);

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("does-not-exist' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.Contains("Could not write a test file", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RelativePath_IsRefused()
    {
        var ex = Assert.Throws<StorageException>(() => new LocalStorageBackend("relative/path"));

        Assert.Contains("not an absolute path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_FolderNotWritable_PermanentErrorAndTestSaysSo()
    {
        // Root ignores permission bits; an immutable folder refuses even root.
        Assert.True(UnixFile.IsRoot, "this test makes the folder immutable with chattr, which needs root");
        (await Shell.RunAsync("chattr", ["+i", _root])).EnsureSuccess("chattr +i");

        var ex = await Assert.ThrowsAsync<StorageException>(() => Backend.PutAsync("a.bin", new MemoryStream([1]), default));
        var test = await Backend.TestAsync(default);

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.False(test.Success);
    }

    [Fact]
    public async Task Put_DestinationFull_PermanentErrorSaysFullAndLeavesNothing()
    {
        Assert.True(UnixFile.IsRoot, "this test mounts a 2 MiB tmpfs, which needs root");
        var small = Directory.CreateDirectory(Path.Combine(_root, "small")).FullName;
        (await Shell.RunAsync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", small])).EnsureSuccess("mount tmpfs");
        try
        {
            var backend = new LocalStorageBackend(small);

            var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("big.bin", new GeneratedStream(5_000_000, null), default));

            Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
            Assert.Contains("destination is full", ex.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFiles(small, "*", SearchOption.AllDirectories));
        }
        finally
        {
            await Shell.RunAsync("umount", [small]);
        }
    }
}
