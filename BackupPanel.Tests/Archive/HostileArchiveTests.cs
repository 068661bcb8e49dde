using System.Formats.Tar;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

/// <summary>Crafted archives (valid checksums, hostile entries) write nothing outside — or inside — the target.</summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("hostile");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> PathAttacks => ["dot-dot", "nested-dot-dot", "absolute", "link-out-then-write", "relative-link-up-then-write", "hard-link-out"];

    public static TheoryData<string> Attacks => [.. PathAttacks, "too-big"];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Restore_HostileEntry_IsRefusedAndNothingIsWrittenAnywhere(string attack)
    {
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        var manifest = await ArchiveHarness.StoreTarAsync(Path.Combine(_dir, "dest"), tar => WriteAttackAsync(tar, attack, outside));
        var target = Path.Combine(_dir, "target");
        var options = new ExtractOptions { MaxBytes = attack == "too-big" ? 1_000_000 : long.MaxValue };

        var ex = await Assert.ThrowsAsync<UnsafeArchiveException>(() => TreeComponents.RestoreAsync(
            ArchiveHarness.Reader(Path.Combine(_dir, "dest")), manifest.Components[0], target, options, null, CancellationToken.None));

        Assert.Contains("nothing was restored", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists(Path.Combine(_dir, "evil.txt")));
        Assert.False(Directory.Exists(target)); // created for the restore, removed again with the staging folder
    }

    [Fact]
    public async Task Read_FourGiBBombBehindTenKiBManifest_StopsWithinOneMiBPastTheDeclaredSize()
    {
        const long Declared = 10 * 1024;
        var destination = Path.Combine(_dir, "dest");
        var manifest = await ArchiveHarness.StoreBombAsync(destination, 4L << 30, Declared);
        var consumed = 0L;

        var ex = await Assert.ThrowsAsync<ArchiveCorruptException>(() => ArchiveHarness.Reader(destination).ReadComponentAsync(manifest.Components[0],
            async (plain, ct) =>
            {
                var buffer = new byte[64 * 1024];
                for (int read; (read = await plain.ReadAsync(buffer, ct)) > 0;)
                {
                    consumed += read;
                }
            }, null, CancellationToken.None));

        Assert.Equal("files.tar.zst", ex.Component);
        Assert.Contains("more than the 10,240 plain bytes the manifest declares", ex.Message, StringComparison.Ordinal);
        Assert.InRange(consumed, 0, Declared + (1 << 20));
    }

    [Fact]
    public async Task Read_StoredCopyLongerThanDeclared_StopsAtTheDeclaredStoredSize()
    {
        var destination = Path.Combine(_dir, "dest");
        var manifest = await ArchiveHarness.StoreBombAsync(destination, 64L << 20, 64L << 20);
        var component = manifest.Components[0] with { StoredSize = 1000 };
        var read = 0L;

        var ex = await Assert.ThrowsAsync<ArchiveCorruptException>(() => ArchiveHarness.Reader(destination).ReadComponentAsync(component,
            (plain, ct) => plain.CopyToAsync(Stream.Null, ct), bytes => read = bytes, CancellationToken.None));

        Assert.Contains("more than the 1,000 stored bytes the manifest declares", ex.Message, StringComparison.Ordinal);
        Assert.InRange(read, 0, 1001);
    }

    [Theory]
    [MemberData(nameof(PathAttacks))]
    public async Task Verify_HostileEntry_IsReported(string attack)
    {
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        var manifest = await ArchiveHarness.StoreTarAsync(Path.Combine(_dir, "dest"), tar => WriteAttackAsync(tar, attack, outside));

        await Assert.ThrowsAsync<UnsafeArchiveException>(() => TreeComponents.VerifyAsync(
            ArchiveHarness.Reader(Path.Combine(_dir, "dest")), manifest.Components[0], null, CancellationToken.None));
    }

    private static async Task WriteAttackAsync(Stream stream, string attack, string outside)
    {
        await using var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        await tar.WriteEntryAsync(Entry("ok.txt", 10));
        switch (attack)
        {
            case "dot-dot":
                await tar.WriteEntryAsync(Entry("../evil.txt", 10));
                break;
            case "nested-dot-dot":
                await tar.WriteEntryAsync(Entry("a/b/../../../evil.txt", 10));
                break;
            case "absolute":
                await tar.WriteEntryAsync(Entry(Path.Combine(outside, "evil.txt"), 10));
                break;
            case "link-out-then-write":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = outside });
                await tar.WriteEntryAsync(Entry("escape/evil.txt", 10));
                break;
            case "relative-link-up-then-write":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "up") { LinkName = "../outside" });
                await tar.WriteEntryAsync(Entry("up/evil.txt", 10));
                break;
            case "hard-link-out":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, "passwd") { LinkName = "/etc/passwd" });
                break;
            default:
                await tar.WriteEntryAsync(Entry("huge-1.bin", 600_000));
                await tar.WriteEntryAsync(Entry("huge-2.bin", 600_000));
                break;
        }
    }

    private static PaxTarEntry Entry(string name, int size) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(new byte[size]) };
}
