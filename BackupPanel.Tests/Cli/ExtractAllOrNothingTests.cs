using System.Formats.Tar;
using System.Text.Json.Nodes;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Cli;

/// <summary>
/// `archive extract` of backups with several components: strict about the manifest, all or nothing, and trees, mail
/// and dumps each in a place of their own.
/// </summary>
public sealed class ExtractAllOrNothingTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("extract-all");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Backup => Path.Combine(_dir, "dest", ArchiveHarness.Folder);

    private string Target => Path.Combine(_dir, "restored");

    [Fact]
    public async Task Extract_FilesGoodMailHostile_TargetUntouchedAndSaysNothingWasRestored()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        await ArchiveHarness.StoreComponentsAsync(Path.Combine(_dir, "dest"),
            (ArchiveLayout.FilesKind, null, ArchiveHarness.Tar(("index.html", "<h1>site</h1>"))),
            (ArchiveLayout.MailKind, null, async stream =>
            {
                await using var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "cur") { LinkName = outside });
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "cur/evil") { DataStream = new MemoryStream("x"u8.ToArray()) });
            }));
        TestTrees.Write(Target, "kept.txt", "what was there before");
        var before = TreeSnapshot.Take(Target);

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", Backup, "--to", Target, "--trust-unsigned"]);

        Assert.Equal(3, extract.ExitCode);
        Assert.Contains("mail.tar.zst", extract.Error, StringComparison.Ordinal);
        Assert.Contains($"nothing was restored into {Target}", extract.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("restored files", extract.Error, StringComparison.Ordinal);
        Assert.Equal(before, TreeSnapshot.Take(Target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task Extract_FilesMailAndDump_EachInAPlaceOfItsOwnNeverIntoAnother()
    {
        // A file in the tree named exactly like the dump: with dumps saved beside the tree, one overwrote the other.
        await ArchiveHarness.StoreComponentsAsync(Path.Combine(_dir, "dest"),
            (ArchiveLayout.FilesKind, null, ArchiveHarness.Tar(("index.html", "<h1>site</h1>"), ("db-postgresql-shop.dump", "a file of the site"))),
            (ArchiveLayout.MailKind, null, ArchiveHarness.Tar(("cur/1.eml", "Subject: hi"))),
            (ArchiveLayout.PostgreSqlKind, "shop", s => s.WriteAsync("PGDMP the dump"u8.ToArray()).AsTask()));

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", Backup, "--to", Target, "--trust-unsigned"]);

        Assert.True(extract.ExitCode == 0, extract.Error);
        Assert.Equal(["databases", "files", "mail"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName).Order());
        Assert.Equal("a file of the site", await File.ReadAllTextAsync(Path.Combine(Target, "files", "db-postgresql-shop.dump")));
        Assert.Equal("PGDMP the dump", await File.ReadAllTextAsync(Path.Combine(Target, "databases", "db-postgresql-shop.dump")));
        Assert.Equal("Subject: hi", await File.ReadAllTextAsync(Path.Combine(Target, "mail", "cur", "1.eml")));
    }

    public static TheoryData<string, string> NotAsWritten => new()
    {
        { "name-ends-in-newline", "invalid name ('files.tar.zst\\u000a')" },
        { "control-character-in-database", "a database name that does not fit" },
        { "same-name-twice", "lists the component files.tar.zst twice" },
        { "two-files-trees", "lists two files components" },
        { "unknown-kind", "unknown kind 'scripts'" },
        { "dump-named-as-a-tree", "names a postgresql component 'files.tar.zst'" },
        { "entries-off-by-one", "has 2 tar entries, the manifest says 3" },
        { "entries-on-a-dump", "an entry count that does not fit its kind" },
        { "unknown-compression", "unknown compression 'gzip'" },
        { "recipients-without-encryption", "recipients that do not fit its encryption" },
        { "unknown-type", "unknown backup type 'Everything'" },
    };

    [Theory]
    [MemberData(nameof(NotAsWritten))]
    public async Task Extract_ManifestNotAsAWriterMakesIt_ExitThreeWithTheReasonAndWritesNothing(string change, string reason)
    {
        await ArchiveHarness.StoreComponentsAsync(Path.Combine(_dir, "dest"),
            (ArchiveLayout.FilesKind, null, ArchiveHarness.Tar(("index.html", "<h1>site</h1>"), ("about.html", "about"))),
            (ArchiveLayout.PostgreSqlKind, "shop", s => s.WriteAsync("PGDMP"u8.ToArray()).AsTask()));
        var path = Path.Combine(Backup, ArchiveManifest.FileName);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var components = json["components"]!.AsArray();
        var (files, dump) = (components[0]!, components[1]!);
        switch (change)
        {
            case "name-ends-in-newline": files["name"] = "files.tar.zst\n"; break;
            case "control-character-in-database": dump["database"] = "shop\u0007"; break;
            case "same-name-twice": components.Add(files.DeepClone()); break;
            case "two-files-trees":
                var second = files.DeepClone();
                (second["name"], second["encryption"]) = ("files.tar.zst.age", "age");
                second["recipients"] = new JsonArray("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p");
                components.Add(second);
                break;
            case "unknown-kind": files["kind"] = "scripts"; break;
            case "dump-named-as-a-tree": dump["name"] = "files.tar.zst"; components.RemoveAt(0); break;
            case "entries-off-by-one": files["entries"] = 3; break;
            case "entries-on-a-dump": dump["entries"] = 1; break;
            case "unknown-compression": files["compression"] = "gzip"; break;
            case "recipients-without-encryption": files["recipients"] = new JsonArray("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"); break;
            default: json["type"] = "Everything"; break;
        }

        await File.WriteAllTextAsync(path, json.ToJsonString());

        var extract = await Shell.PanelAsync(["archive", "extract", "--from", Backup, "--to", Target, "--trust-unsigned"]);

        Assert.Equal(3, extract.ExitCode);
        Assert.Contains(reason, extract.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target));
    }
}
