using System.Text;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

/// <summary>Every kind of damage is caught by verify and by restore, names the component, and writes nothing.</summary>
public sealed class CorruptionTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("corrupt");
    private readonly AgeIdentity _identity = AgeIdentity.Generate();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Damages => ["flip-byte", "truncate", "missing-component", "tampered-manifest-checksum", "tampered-manifest-size", "wrong-identity"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task VerifyAndRestore_DamagedBackup_FailNamingTheComponentAndWriteNothing(string damage)
    {
        var (reader, component) = await DamagedBackupAsync(damage);
        var target = Path.Combine(_dir, "target");
        TestTrees.Write(target, "existing.txt", "must survive");
        var before = TreeSnapshot.Take(target);

        var verify = await Assert.ThrowsAsync<ArchiveCorruptException>(() => TreeComponents.VerifyAsync(reader, component, null, CancellationToken.None));
        var restore = await Assert.ThrowsAsync<ArchiveCorruptException>(() =>
            TreeComponents.RestoreAsync(reader, component, target, new ExtractOptions { ClearTarget = true }, null, CancellationToken.None));

        Assert.Contains("files.tar.zst.age", verify.Message, StringComparison.Ordinal);
        Assert.Contains("files.tar.zst.age", restore.Message, StringComparison.Ordinal);
        Assert.Equal(before, TreeSnapshot.Take(target));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("{\"format\":\"other\",\"version\":1}", "format 'other'")]
    [InlineData("{\"format\":\"backuppanel-archive\",\"version\":1,\"domain\":\"example.com\",\"type\":\"Files\",\"tool\":\"t\",\"components\":[{\"name\":\"../x\",\"storedSha256\":\"\",\"plainSha256\":\"\"}]}", "invalid name")]
    public async Task ReadManifest_MalformedManifest_SaysWhatIsWrong(string json, string expected)
    {
        await ArchiveHarness.StoreTarAsync(Path.Combine(_dir, "dest"), _ => Task.CompletedTask);
        await File.WriteAllTextAsync(Path.Combine(_dir, "dest", ArchiveHarness.Folder, ArchiveManifest.FileName), json);

        var ex = await Assert.ThrowsAsync<ArchiveCorruptException>(() => ArchiveHarness.Reader(Path.Combine(_dir, "dest")).ReadManifestAsync(CancellationToken.None));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadManifest_NoManifest_SaysTheBackupIsIncomplete()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dest"));

        var ex = await Assert.ThrowsAsync<ArchiveCorruptException>(() => ArchiveHarness.Reader(Path.Combine(_dir, "dest")).ReadManifestAsync(CancellationToken.None));

        Assert.Contains("manifest.json: is missing", ex.Message, StringComparison.Ordinal);
    }

    private async Task<(ArchiveReader Reader, ArchiveComponent Component)> DamagedBackupAsync(string damage)
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", new string('a', 300_000));
        TestTrees.Write(source, "b/c.txt", "c");
        var dest = Path.Combine(_dir, "dest");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, dest, _identity.Recipient);
        var path = ArchiveHarness.ComponentPath(dest, manifest);
        var bytes = await File.ReadAllBytesAsync(path);
        var component = manifest.Components[0];
        var identity = _identity;
        switch (damage)
        {
            case "flip-byte":
                bytes[bytes.Length / 2] ^= 0x40;
                await File.WriteAllBytesAsync(path, bytes);
                break;
            case "truncate":
                await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
                break;
            case "missing-component":
                File.Delete(path);
                break;
            case "tampered-manifest-checksum":
                component = component with { StoredSha256 = new string('0', 64) };
                break;
            case "tampered-manifest-size":
                component = component with { PlainSize = component.PlainSize + 1 };
                break;
            default:
                identity = AgeIdentity.Generate();
                break;
        }

        await File.WriteAllBytesAsync(Path.Combine(dest, ArchiveHarness.Folder, ArchiveManifest.FileName), Encoding.UTF8.GetBytes(Encoding.UTF8.GetString((manifest with { Components = [component] }).ToJson())));
        var reader = ArchiveHarness.Reader(dest, identity);
        return (reader, (await reader.ReadManifestAsync(CancellationToken.None)).Components[0]);
    }
}
