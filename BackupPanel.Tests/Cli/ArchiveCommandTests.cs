using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Cli;

/// <summary>`BackupPanel archive …` as a user runs it: the built executable, exit codes, messages on stderr.</summary>
public sealed class ArchiveCommandTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("cli");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CreateVerifyExtract_EncryptedTree_ExitZeroAndTreeIdentical()
    {
        var source = TestTrees.CreateTricky(Path.Combine(_dir, "src"), 2 * 1024 * 1024);
        var identity = AgeIdentity.Generate();
        var keyFile = Path.Combine(_dir, "key.txt");
        await File.WriteAllTextAsync(keyFile, identity.ToIdentityFile(DateTimeOffset.UtcNow));
        var output = Path.Combine(_dir, "out");

        var create = await Shell.PanelAsync(["archive", "create", "--source", source, "--out", output, "--recipient", identity.Recipient.ToString(), "--sign-with", keyFile, "--level", "5"]);
        var verify = await Shell.PanelAsync(["archive", "verify", "--from", output, "--identity", keyFile]);
        var verifyNoKey = await Shell.PanelAsync(["archive", "verify", "--from", output]);
        var verifyNoKeyTrusted = await Shell.PanelAsync(["archive", "verify", "--from", output, "--trust-unsigned"]);
        var extract = await Shell.PanelAsync(["archive", "extract", "--from", output, "--to", Path.Combine(_dir, "restored"), "--identity", keyFile]);

        Assert.Equal((0, 0, 3, 0, 0), (create.ExitCode, verify.ExitCode, verifyNoKey.ExitCode, verifyNoKeyTrusted.ExitCode, extract.ExitCode));
        Assert.Contains("created files.tar.zst.age", create.Error, StringComparison.Ordinal);
        Assert.Contains("checksums match", verify.Error, StringComparison.Ordinal);
        Assert.Contains($"signature ok: manifest.json signed by {identity.Recipient}", extract.Error, StringComparison.Ordinal);
        Assert.Contains("cannot be checked without the panel's key", verifyNoKey.Error, StringComparison.Ordinal);
        Assert.Contains("content not checked without --identity", verifyNoKeyTrusted.Error, StringComparison.Ordinal);
        Assert.Equal(["files.tar.zst.age", "manifest.json", "manifest.sig"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order());
        Assert.Equal(TreeSnapshot.Take(source), TreeSnapshot.Take(Path.Combine(_dir, "restored")));
    }

    [Fact]
    public async Task Signature_CheckedByHandWithOpenssl_AsFormatMdShows()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", "a");
        var keyFile = Path.Combine(_dir, "key.txt");
        await File.WriteAllTextAsync(keyFile, AgeIdentity.Generate().ToIdentityFile(DateTimeOffset.UtcNow));
        var output = Path.Combine(_dir, "out");
        (await Shell.PanelAsync(["archive", "create", "--source", source, "--out", output, "--sign-with", keyFile])).EnsureSuccess("create");

        // The three lines of docs/FORMAT.md, "The signature".
        var byHand = await Shell.RunAsync("bash", ["-c",
            $"SECRET=$(grep '^AGE-SECRET-KEY-1' {keyFile}); MACKEY=$(printf '%s' backuppanel-manifest-v1 | openssl dgst -sha256 -mac HMAC -macopt \"key:$SECRET\" -r | cut -d' ' -f1); "
            + $"openssl dgst -sha256 -mac HMAC -macopt \"hexkey:$MACKEY\" -r {Path.Combine(output, "manifest.json")} | cut -d' ' -f1"]);

        var mac = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "manifest.sig"))).RootElement.GetProperty("mac").GetString();
        Assert.Equal(mac, byHand.EnsureSuccess("openssl").Output.Trim());
        await File.AppendAllTextAsync(Path.Combine(output, "manifest.json"), " ");
        var changed = await Shell.PanelAsync(["archive", "extract", "--from", output, "--to", Path.Combine(_dir, "restored"), "--identity", keyFile, "--trust-unsigned"]);
        Assert.Equal(3, changed.ExitCode); // one byte more in the manifest: the signature no longer matches, trusted or not
        Assert.Contains("manifest.sig: does not match manifest.json", changed.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "restored")));
    }

    [Fact]
    public async Task Create_UnreadableFileAndFifo_SucceedsWithWarnings()
    {
        Assert.True(UnixFile.IsRoot, "runs the command as 'nobody' so that a mode-000 file is really unreadable");
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "ok.txt", "fine");
        TestTrees.Write(source, "locked.txt", "secret");
        (await Shell.RunAsync("mkfifo", [Path.Combine(source, "pipe")])).EnsureSuccess("mkfifo");
        (await Shell.RunAsync("chmod", ["-R", "a+rwX", _dir])).EnsureSuccess("chmod");
        File.SetUnixFileMode(Path.Combine(source, "locked.txt"), UnixFileMode.None);

        var create = await Shell.RunAsync("runuser", ["-u", "nobody", "--", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp", "dotnet", TestPaths.WebAppDll,
            "archive", "create", "--source", source, "--out", Path.Combine(_dir, "out")]);

        Assert.Equal(0, create.ExitCode);
        Assert.Contains("warning: locked.txt: skipped, not readable", create.Error, StringComparison.Ordinal);
        Assert.Contains("warning: pipe: skipped, a Fifo is not backed up", create.Error, StringComparison.Ordinal);
        var manifest = ArchiveManifest.Parse(await File.ReadAllBytesAsync(Path.Combine(_dir, "out", ArchiveManifest.FileName)));
        Assert.Equal(1, manifest.Components[0].Entries);
    }

    [Fact]
    public async Task Verify_FlippedByte_ExitThreeNamingTheComponent()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", new string('x', 100_000));
        var output = Path.Combine(_dir, "out");
        (await Shell.PanelAsync(["archive", "create", "--source", source, "--out", output])).EnsureSuccess("create");
        var component = Path.Combine(output, "files.tar.zst");
        var bytes = await File.ReadAllBytesAsync(component);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(component, bytes);

        var verify = await Shell.PanelAsync(["archive", "verify", "--from", output, "--trust-unsigned"]);
        var extract = await Shell.PanelAsync(["archive", "extract", "--from", output, "--to", Path.Combine(_dir, "restored"), "--trust-unsigned"]);

        Assert.Equal((3, 3), (verify.ExitCode, extract.ExitCode));
        Assert.Contains("files.tar.zst:", verify.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "restored")));
    }

    [Fact]
    public async Task Extract_FourGiBBombBehindTenKiBManifest_ExitThreeNamingTheComponentAndWritesNothing()
    {
        var output = Path.Combine(_dir, "out");
        await ArchiveHarness.StoreBombAsync(output, 4L << 30, 10 * 1024);
        var from = Path.Combine(output, ArchiveHarness.Folder);
        var target = Path.Combine(_dir, "restored");

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", from, "--to", target, "--trust-unsigned"]);

        Assert.Equal(3, extract.ExitCode);
        Assert.Contains("files.tar.zst: unpacks to more than the 10,240 plain bytes the manifest declares", extract.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Extract_MoreThanTheFreeSpace_RefusedBeforeWritingNamingComponentAndTarget()
    {
        var output = Path.Combine(_dir, "out");
        await ArchiveHarness.StoreBombAsync(output, 1 << 20, 1L << 50); // declares a pebibyte
        var target = Path.Combine(_dir, "restored");

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", Path.Combine(output, ArchiveHarness.Folder), "--to", target, "--trust-unsigned"]);

        Assert.Equal(1, extract.ExitCode);
        Assert.Contains($"files.tar.zst: needs 1,125,899,906,842,624 bytes at {target}, only", extract.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Extract_WrongIdentity_ExitThreeAndWritesNothing()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", "a");
        var output = Path.Combine(_dir, "out");
        (await Shell.PanelAsync(["archive", "create", "--source", source, "--out", output, "--recipient", AgeIdentity.Generate().Recipient.ToString()])).EnsureSuccess("create");
        var keyFile = Path.Combine(_dir, "other.txt");
        await File.WriteAllTextAsync(keyFile, AgeIdentity.Generate().ToIdentityFile(DateTimeOffset.UtcNow));

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", output, "--to", Path.Combine(_dir, "restored"), "--identity", keyFile, "--trust-unsigned"]);

        Assert.Equal(3, extract.ExitCode);
        Assert.Contains("No identity matches", extract.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "restored")));
    }

    [Fact]
    public async Task Extract_DryRun_ListsAndWritesNothing()
    {
        var source = Path.Combine(_dir, "src");
        TestTrees.Write(source, "a.txt", "a");
        var output = Path.Combine(_dir, "out");
        (await Shell.PanelAsync(["archive", "create", "--source", source, "--out", output])).EnsureSuccess("create");

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", output, "--to", Path.Combine(_dir, "restored"), "--dry-run", "--trust-unsigned"]);

        Assert.Equal(0, extract.ExitCode);
        Assert.Contains("would create a.txt", extract.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "restored")));
    }

    [Theory]
    [InlineData(new string[0], "Usage:")]
    [InlineData(new[] { "create", "--source" }, "--source needs a value")]
    [InlineData(new[] { "create", "--out", "/tmp/x" }, "--source is required")]
    [InlineData(new[] { "create", "--source", "/tmp", "--out", "/tmp/x", "--level", "99" }, "--level must be 1 to 19")]
    [InlineData(new[] { "create", "--source", "/tmp", "--out", "/tmp/x", "--recipient", "age1nope" }, "is not an age public key")]
    [InlineData(new[] { "verify", "--from", "/tmp", "--bogus", "1" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "explode" }, "Usage:")]
    public async Task Archive_WrongUsage_ExitTwoWithTheReason(string[] args, string expected)
    {
        var result = await Shell.PanelAsync(["archive", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MissingSource_ExitOneWithTheFolderName()
    {
        var result = await Shell.PanelAsync(["archive", "create", "--source", Path.Combine(_dir, "missing"), "--out", Path.Combine(_dir, "out")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing' does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out", ArchiveManifest.FileName)));
    }
}
