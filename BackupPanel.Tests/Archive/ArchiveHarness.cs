using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Storage;

namespace BackupPanel.Tests.Archive;

/// <summary>Backs a tree up into a Local destination folder with the real engine, as the panel and the CLI do.</summary>
public static class ArchiveHarness
{
    public const string Folder = "example.com/2026/11/20261125T120000Z_backup/";

    public static async Task<ArchiveManifest> BackupTreeAsync(string source, string destination, params AgeRecipient[] recipients)
    {
        var storage = new LocalStorageBackend(Directory.CreateDirectory(destination).FullName);
        var writer = new ArchiveWriter(storage, Folder, new ArchiveWriteOptions { Recipients = recipients });
        var component = await writer.WriteComponentAsync(ArchiveLayout.FilesKind, null,
            async (tar, ct) => (await TreeArchiver.WriteAsync(source, ExcludeFilter.None, tar, ct)).Entries, null, CancellationToken.None);
        var manifest = new ArchiveManifest
        {
            BackupId = Guid.NewGuid(), Domain = "example.com", Type = "Files", Tool = "tests",
            StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Components = [component],
        };
        await writer.CommitAsync(manifest, CancellationToken.None);
        return manifest;
    }

    /// <summary>Stores an arbitrary tar (e.g. a crafted hostile one) as an unencrypted files component with a valid manifest.</summary>
    public static async Task<ArchiveManifest> StoreTarAsync(string destination, Func<Stream, Task> writeTar)
    {
        var writer = new ArchiveWriter(new LocalStorageBackend(Directory.CreateDirectory(destination).FullName), Folder, new ArchiveWriteOptions());
        var component = await writer.WriteComponentAsync(ArchiveLayout.FilesKind, null, async (tar, _) => { await writeTar(tar); return null; }, null, CancellationToken.None);
        var manifest = new ArchiveManifest { BackupId = Guid.NewGuid(), Domain = "example.com", Type = "Files", Tool = "tests", Components = [component] };
        await writer.CommitAsync(manifest, CancellationToken.None);
        return manifest;
    }

    public static ArchiveReader Reader(string destination, params AgeIdentity[] identities) =>
        new(new LocalStorageBackend(destination), Folder, identities);

    public static string ComponentPath(string destination, ArchiveManifest manifest, int index = 0) =>
        Path.Combine(destination, Folder, manifest.Components[index].Name);
}
