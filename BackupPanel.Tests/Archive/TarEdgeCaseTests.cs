using System.Formats.Tar;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

/// <summary>Tars made by other tools (GNU tar, imports) with repeats, replacements and hard links restore as tar would.</summary>
public sealed class TarEdgeCaseTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("taredge");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Restore_RepeatedAndReplacedNames_LastEntryWins()
    {
        var target = await RestoreAsync(async tar =>
        {
            await tar.WriteEntryAsync(FileEntry("a.txt", "first"));
            await tar.WriteEntryAsync(FileEntry("a.txt", "second"));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "b/"));
            await tar.WriteEntryAsync(FileEntry("b/inside.txt", "x"));
            await tar.WriteEntryAsync(FileEntry("b", "now a file"));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "c") { LinkName = "a.txt" });
            await tar.WriteEntryAsync(FileEntry("c", "link replaced by a file"));
        });

        Assert.Equal("second", await File.ReadAllTextAsync(Path.Combine(target, "a.txt")));
        Assert.Equal("now a file", await File.ReadAllTextAsync(Path.Combine(target, "b")));
        Assert.Null(new FileInfo(Path.Combine(target, "c")).LinkTarget);
        Assert.Equal("link replaced by a file", await File.ReadAllTextAsync(Path.Combine(target, "c")));
    }

    [Fact]
    public async Task Restore_GnuTarHardLink_RestoredAsACopy()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "original.txt", "shared content");
        (await Shell.RunAsync("ln", [Path.Combine(source, "original.txt"), Path.Combine(source, "hardlink.txt")])).EnsureSuccess("ln");
        var tarFile = Path.Combine(_dir, "gnu.tar");
        (await Shell.RunAsync("tar", ["-cf", tarFile, "-C", source, "."])).EnsureSuccess("tar -c");

        var target = await RestoreAsync(async tar =>
        {
            await using var gnu = File.OpenRead(tarFile);
            await using var reader = new TarReader(gnu);
            while (await reader.GetNextEntryAsync(copyData: true) is { } e) await tar.WriteEntryAsync(e);
        });

        Assert.Equal("shared content", await File.ReadAllTextAsync(Path.Combine(target, "hardlink.txt")));
        Assert.Equal("shared content", await File.ReadAllTextAsync(Path.Combine(target, "original.txt")));
    }

    [Fact]
    public async Task Restore_IntoAFolderThatHasItAlready_LinksToSiblingFoldersAreReplacedToo()
    {
        var target = await RestoreAsync(async tar =>
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "site/assets/"));
            await tar.WriteEntryAsync(FileEntry("site/assets/style.css", "body {}"));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "site/current") { LinkName = "assets" });
        });

        // The second time every name exists: the folder is merged, and the link (which points at a folder moved
        // just before it, dangling in the staging folder for a moment) must still replace the old one.
        var reader = ArchiveHarness.Reader(Path.Combine(_dir, "dest"));
        var manifest = await reader.ReadManifestAsync(CancellationToken.None);
        await TreeComponents.RestoreAsync(reader, manifest.Components[0], target, new ExtractOptions(), null, CancellationToken.None);

        Assert.Equal("assets", new FileInfo(Path.Combine(target, "site", "current")).LinkTarget);
        Assert.Equal("body {}", await File.ReadAllTextAsync(Path.Combine(target, "site", "current", "style.css")));
        Assert.Equal(["assets", "current"], Directory.EnumerateFileSystemEntries(Path.Combine(target, "site")).Select(Path.GetFileName).Order());
    }

    private async Task<string> RestoreAsync(Func<TarWriter, Task> write)
    {
        var manifest = await ArchiveHarness.StoreTarAsync(Path.Combine(_dir, "dest"), async stream =>
        {
            await using var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
            await write(tar);
        });
        var target = Path.Combine(_dir, "target");
        await TreeComponents.RestoreAsync(ArchiveHarness.Reader(Path.Combine(_dir, "dest")), manifest.Components[0], target, new ExtractOptions(), null, CancellationToken.None);
        return target;
    }

    private static PaxTarEntry FileEntry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };
}
