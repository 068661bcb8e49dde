using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

public sealed class ArchiveRoundTripTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("roundtrip");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RestoreAsync_EncryptedTrickyTree_TreeIdenticalInAnotherDirectory()
    {
        var source = TestTrees.CreateTricky(Path.Combine(_dir, "src"), 50 * 1024 * 1024);
        var identity = AgeIdentity.Generate();
        var manifest = await ArchiveHarness.BackupTreeAsync(source, Path.Combine(_dir, "dest"), identity.Recipient);

        var target = Path.Combine(_dir, "restored");
        var result = await TreeComponents.RestoreAsync(ArchiveHarness.Reader(Path.Combine(_dir, "dest"), identity),
            manifest.Components[0], target, new ExtractOptions(), null, CancellationToken.None);

        Assert.Equal(TreeSnapshot.Take(source), TreeSnapshot.Take(target));
        Assert.Equal(manifest.Components[0].Entries, result.Entries);
        Assert.Contains(result.Warnings, w => w.Contains("absolute-link", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateDirectories(target, TreeExtractor.StagingPrefix + "*"));
    }

    [Fact]
    public async Task Archive_OpenedWithAgeZstdAndTar_TreeIdentical()
    {
        var source = TestTrees.CreateTricky(Path.Combine(_dir, "src"), 3 * 1024 * 1024);
        var keyFile = Path.Combine(_dir, "key.txt");
        await Shell.RunAsync("age-keygen", ["-o", keyFile]);
        var identity = AgeIdentity.Parse(await File.ReadAllTextAsync(keyFile));
        var manifest = await ArchiveHarness.BackupTreeAsync(source, Path.Combine(_dir, "dest"), identity.Recipient);
        var target = Directory.CreateDirectory(Path.Combine(_dir, "by-hand")).FullName;

        var component = ArchiveHarness.ComponentPath(Path.Combine(_dir, "dest"), manifest);
        (await Shell.BashAsync($"age -d -i '{keyFile}' '{component}' | zstd -d | tar -x -C '{target}'")).EnsureSuccess("age | zstd | tar");

        // GNU tar keeps whole-second mtimes from our PAX headers; everything else must match exactly.
        Assert.Equal(TreeSnapshot.Take(source, TimeSpan.TicksPerSecond), TreeSnapshot.Take(target, TimeSpan.TicksPerSecond));
        var sums = (await Shell.BashAsync($"sha256sum '{component}'; age -d -i '{keyFile}' '{component}' | zstd -d | sha256sum")).EnsureSuccess("sha256sum").Output;
        Assert.Contains(manifest.Components[0].StoredSha256, sums, StringComparison.Ordinal);
        Assert.Contains(manifest.Components[0].PlainSha256, sums, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Archive_Unencrypted_OpensWithZstdAndTar()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a/b.txt", "plain");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, Path.Combine(_dir, "dest"));
        var target = Directory.CreateDirectory(Path.Combine(_dir, "by-hand")).FullName;

        Assert.Equal("files.tar.zst", manifest.Components[0].Name);
        (await Shell.BashAsync($"zstd -dc '{ArchiveHarness.ComponentPath(Path.Combine(_dir, "dest"), manifest)}' | tar -x -C '{target}'")).EnsureSuccess("zstd | tar");
        Assert.Equal("plain", await File.ReadAllTextAsync(Path.Combine(target, "a/b.txt")));
    }

    [Fact]
    public async Task RestoreAsync_IntoExistingTarget_ReplacesFilesKeepsOthersAndNeverFollowsTargetLinks()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "site/index.html", "new");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, Path.Combine(_dir, "dest"));
        var target = Path.Combine(_dir, "target");
        TestTrees.Write(target, "site/index.html", "old");
        TestTrees.Write(target, "site/keep.txt", "untouched");
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        Directory.Delete(Path.Combine(target, "site"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(target, "site"), outside); // the target's "site" is a link out

        await TreeComponents.RestoreAsync(ArchiveHarness.Reader(Path.Combine(_dir, "dest")), manifest.Components[0], target, new ExtractOptions(), null, CancellationToken.None);

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Null(new DirectoryInfo(Path.Combine(target, "site")).LinkTarget);
        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(target, "site/index.html")));
    }

    [Fact]
    public async Task RestoreAsync_DryRun_ListsChangesAndWritesNothing()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", "new");
        TestTrees.Write(source, "b.txt", "new");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, Path.Combine(_dir, "dest"));
        var target = Path.Combine(_dir, "target");
        TestTrees.Write(target, "a.txt", "old");
        var before = TreeSnapshot.Take(target);

        var result = await TreeComponents.RestoreAsync(ArchiveHarness.Reader(Path.Combine(_dir, "dest")), manifest.Components[0], target,
            new ExtractOptions { DryRun = true }, null, CancellationToken.None);

        Assert.Equal(["replace a.txt", "create b.txt"], result.Changes);
        Assert.Equal(before, TreeSnapshot.Take(target));
    }

    [Fact]
    public async Task RestoreAsync_ClearTarget_RemovesWhatTheBackupDoesNotHave()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", "new");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, Path.Combine(_dir, "dest"));
        var target = Path.Combine(_dir, "target");
        TestTrees.Write(target, "stale/old.txt", "old");

        await TreeComponents.RestoreAsync(ArchiveHarness.Reader(Path.Combine(_dir, "dest")), manifest.Components[0], target,
            new ExtractOptions { ClearTarget = true }, null, CancellationToken.None);

        Assert.Equal(["a.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteAsync_Excludes_SkipsMatchingFilesAndFolders()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "keep.txt", "k");
        TestTrees.Write(source, "debug.log", "x");
        TestTrees.Write(source, "wp-content/cache/page.html", "x");
        TestTrees.Write(source, "node_modules/pkg/index.js", "x");
        using var tar = new MemoryStream();

        var result = await TreeArchiver.WriteAsync(source, new ExcludeFilter(["*.log", "wp-content/cache", "node_modules/"]), tar, CancellationToken.None);

        tar.Position = 0;
        var names = new List<string>();
        using var reader = new System.Formats.Tar.TarReader(tar);
        while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        Assert.Equal(["keep.txt", "wp-content/"], names);
        Assert.Equal(2, result.Entries);
    }
}
