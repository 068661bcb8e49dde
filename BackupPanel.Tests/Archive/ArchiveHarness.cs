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

    /// <summary>
    /// Stores several unencrypted components (kind, database, what to write) with a valid manifest; a tree's entry
    /// count is that of the tar written (counted by reading it back).
    /// </summary>
    public static async Task<ArchiveManifest> StoreComponentsAsync(string destination, params (string Kind, string? Database, Func<Stream, Task> Write)[] parts)
    {
        var writer = new ArchiveWriter(new LocalStorageBackend(Directory.CreateDirectory(destination).FullName), Folder, new ArchiveWriteOptions());
        var components = new List<ArchiveComponent>();
        foreach (var (kind, database, write) in parts)
        {
            components.Add(await writer.WriteComponentAsync(kind, database, async (plain, _) =>
            {
                if (kind is not (ArchiveLayout.FilesKind or ArchiveLayout.MailKind))
                {
                    await write(plain);
                    return null;
                }

                using var tar = new MemoryStream();
                await write(tar);
                tar.Position = 0;
                long entries = 0;
                await using (var reader = new System.Formats.Tar.TarReader(new MemoryStream(tar.ToArray())))
                {
                    while (await reader.GetNextEntryAsync(cancellationToken: CancellationToken.None) is not null)
                    {
                        entries++;
                    }
                }

                await tar.CopyToAsync(plain, CancellationToken.None);
                return entries;
            }, null, CancellationToken.None));
        }

        var manifest = new ArchiveManifest { BackupId = Guid.NewGuid(), Domain = "example.com", Type = "Full", Tool = "tests", Components = components };
        await writer.CommitAsync(manifest, CancellationToken.None);
        return manifest;
    }

    /// <summary>A tar of the given files (name → content), written as the tests' trees are.</summary>
    public static Func<Stream, Task> Tar(params (string Name, string Content)[] files) => async stream =>
    {
        await using var tar = new System.Formats.Tar.TarWriter(stream, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (name, content) in files)
        {
            await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            });
        }
    };

    /// <summary>
    /// Stores a decompression bomb: a files component whose tar holds one file of <paramref name="fileBytes"/> zeros
    /// (zstd frames of 1 MiB each, a few hundred KiB stored), behind a manifest that declares
    /// <paramref name="declaredPlainSize"/> plain bytes. Stored size and SHA-256 are true, as a forger makes them.
    /// </summary>
    public static async Task<ArchiveManifest> StoreBombAsync(string destination, long fileBytes, long declaredPlainSize)
    {
        const int Frame = 1 << 20;
        var folder = Directory.CreateDirectory(Path.Combine(destination, Folder)).FullName;
        var first = new byte[Frame];
        TarHeader("bomb.bin", fileBytes).CopyTo(first, 0);
        var firstFrame = Compress(first);
        var zeroFrame = Compress(new byte[Frame]);
        var path = Path.Combine(folder, "files.tar.zst");
        await using (var file = File.Create(path))
        {
            await file.WriteAsync(firstFrame);
            for (var written = (long)Frame - 512; written < fileBytes; written += Frame)
            {
                await file.WriteAsync(zeroFrame);
            }
        }

        await using var stored = File.OpenRead(path);
        var component = new ArchiveComponent
        {
            Name = "files.tar.zst", Kind = ArchiveLayout.FilesKind, StoredSize = stored.Length,
            StoredSha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stored)),
            PlainSize = declaredPlainSize, PlainSha256 = new string('0', 64), Entries = 1,
        };
        var manifest = new ArchiveManifest { BackupId = Guid.NewGuid(), Domain = "example.com", Type = "Files", Tool = "tests", Components = [component] };
        await File.WriteAllBytesAsync(Path.Combine(folder, ArchiveManifest.FileName), manifest.ToJson());
        return manifest;
    }

    public static ArchiveReader Reader(string destination, params AgeIdentity[] identities) =>
        new(new LocalStorageBackend(destination), Folder, identities);

    public static string ComponentPath(string destination, ArchiveManifest manifest, int index = 0) =>
        Path.Combine(destination, Folder, manifest.Components[index].Name);

    private static byte[] Compress(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var zstd = new ZstdCompressionStream(buffer, 3, 1))
        {
            zstd.Write(plain);
        }

        return buffer.ToArray();
    }

    /// <summary>A ustar header for a regular file (written by hand: TarWriter would copy the whole file's data).</summary>
    private static byte[] TarHeader(string name, long size)
    {
        var header = new byte[512];
        void Put(int offset, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, "00000000000\0");
        Put(148, "        ");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        var sum = header.Sum(b => b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }
}
