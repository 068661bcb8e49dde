using BackupPanel.Core.Archive;
using BackupPanel.Core.Storage;
using BackupPanel.Tests.Infrastructure;
using BackupPanel.Tests.Storage;

namespace BackupPanel.Tests.Archive;

/// <summary>A copy counts only once read back: a destination that stores other bytes than it was sent fails the write.</summary>
public sealed class ReadBackTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempDir("readback");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task WriteComponent_DestinationStoresOtherBytes_FailsNamingTheComponent()
    {
        var source = Directory.CreateDirectory(Path.Combine(_root, "site")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(source, "photo.jpg"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000));
        var storage = new BitFlippingBackend(new LocalStorageBackend(Directory.CreateDirectory(Path.Combine(_root, "dest")).FullName), flipAt: 1000);
        var writer = new ArchiveWriter(storage, "example.com/x/", new ArchiveWriteOptions());

        var ex = await Assert.ThrowsAsync<ArchiveCorruptException>(() => writer.WriteComponentAsync(ArchiveLayout.FilesKind, null,
            async (tar, ct) => (await TreeArchiver.WriteAsync(source, ExcludeFilter.None, tar, ct)).Entries, null, CancellationToken.None));

        Assert.Contains("files.tar.zst", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the stored copy does not match", ex.Message, StringComparison.Ordinal);
        Assert.True(storage.Flipped);
    }

    [Fact]
    public async Task WriteComponent_ReadBackOff_DoesNotNotice()
    {
        // The control for the test above: the same damage goes unseen when read-back is switched off.
        var source = Directory.CreateDirectory(Path.Combine(_root, "site")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "index.html"), "hello");
        var storage = new BitFlippingBackend(new LocalStorageBackend(Directory.CreateDirectory(Path.Combine(_root, "dest")).FullName), flipAt: 20);
        var writer = new ArchiveWriter(storage, "example.com/x/", new ArchiveWriteOptions { ReadBack = false });

        var component = await writer.WriteComponentAsync(ArchiveLayout.FilesKind, null,
            async (tar, ct) => (await TreeArchiver.WriteAsync(source, ExcludeFilter.None, tar, ct)).Entries, null, CancellationToken.None);

        Assert.True(storage.Flipped);
        Assert.Equal("files.tar.zst", component.Name);
        Assert.Matches("^[0-9a-f]{64}$", component.StoredSha256);
    }

    /// <summary>A destination that silently damages one byte of what it stores (relies on the contract's own read-back).</summary>
    private sealed class BitFlippingBackend(IStorageBackend inner, long flipAt) : PassThroughBackend(inner)
    {
        public bool Flipped { get; private set; }

        public override async Task PutAsync(string key, Stream content, CancellationToken ct)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, ct);
            var bytes = copy.ToArray();
            if (bytes.Length > flipAt)
            {
                bytes[flipAt] ^= 0x40;
                Flipped = true;
            }

            await base.PutAsync(key, new MemoryStream(bytes), ct);
        }
    }
}
