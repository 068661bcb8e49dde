using System.Formats.Tar;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

/// <summary>Roots and targets must be real folders all the way; staging is private to the panel.</summary>
public sealed class LinkRefusalTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("links");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("root-is-a-link")]
    [InlineData("parent-is-a-link")]
    public async Task Backup_RootThatIsOrPassesThroughALink_RefusedNamingIt(string where)
    {
        var secret = Path.Combine(_dir, "secret");
        TestTrees.Write(secret, "site/shadow", "not the tenant's");
        var root = where == "root-is-a-link" ? Path.Combine(_dir, "www") : Path.Combine(_dir, "home", "site");
        File.CreateSymbolicLink(where == "root-is-a-link" ? root : Path.Combine(_dir, "home"), where == "root-is-a-link" ? Path.Combine(secret, "site") : secret);
        using var tar = new MemoryStream();

        var ex = await Assert.ThrowsAsync<SymbolicLinkRefusedException>(() => TreeArchiver.WriteAsync(root, ExcludeFilter.None, tar, CancellationToken.None));

        Assert.Contains(where == "root-is-a-link" ? $"'{root}' is a symbolic link" : $"'{root}' is or passes through a symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, tar.Length);
    }

    [Fact]
    public async Task Restore_TargetThatIsALink_RefusedAndNothingWrittenWhereItPoints()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "index.html", "site");
        var destination = Path.Combine(_dir, "dest");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, destination);
        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;
        var target = Path.Combine(_dir, "public_html");
        File.CreateSymbolicLink(target, elsewhere);

        await Assert.ThrowsAsync<SymbolicLinkRefusedException>(() => TreeComponents.RestoreAsync(
            ArchiveHarness.Reader(destination), manifest.Components[0], target, new ExtractOptions(), null, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the walk one name at a time, for kernels before openat2 (5.6)
    public void OpenBeneath_LinkInTheMiddle_RefusedWithOrWithoutOpenat2(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "root", "a", "real", "c"));
        Directory.CreateDirectory(Path.Combine(_dir, "outside", "c"));
        File.CreateSymbolicLink(Path.Combine(_dir, "root", "a", "b"), Path.Combine(_dir, "outside"));
        var had = DirectoryHandle.Native.HasOpenat2;
        DirectoryHandle.Native.HasOpenat2 = openat2;
        try
        {
            using var root = DirectoryHandle.OpenReal(Path.Combine(_dir, "root"));
            using var real = root.TryOpenBeneath("a/real/c");

            Assert.NotNull(real);
            Assert.Throws<SymbolicLinkRefusedException>(() => root.TryOpenBeneath("a/b/c"));
            Assert.Throws<SymbolicLinkRefusedException>(() => DirectoryHandle.OpenReal(Path.Combine(_dir, "root", "a", "b", "c")));
            Assert.Throws<UnsafeArchiveException>(() => root.TryOpenBeneath("a/../../outside"));
        }
        finally
        {
            DirectoryHandle.Native.HasOpenat2 = had;
        }
    }

    [Fact]
    public async Task Stage_StagingFolder_IsPrivateAndOwnedByThePanel()
    {
        var target = Directory.CreateDirectory(Path.Combine(_dir, "target")).FullName;
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "a/b.txt") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        tar.Position = 0;
        using var staged = await TreeExtractor.StageAsync(tar, target, new ExtractOptions(), CancellationToken.None);
        var staging = Assert.Single(Directory.EnumerateDirectories(target, TreeExtractor.StagingPrefix + "*"));
        var status = UnixFile.Lstat(staging);

        Assert.Equal(UnixFileType.Directory, status.Type);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, status.Mode);
        Assert.Equal(UnixFile.EffectiveUserId, status.Uid);
    }
}
