using BackupPanel.Core.Import;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BackupPanel.Tests.Import;

/// <summary>Detection by content, parsing and preview of every fixture format (scripts/import-fixtures.py).</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ArchiveDetectionTests(AppFixture app)
{
    public static TheoryData<string, string, string, string, string, string> Formats => new()
    {
        // fixture, format, compression, domain, databases (engine:name), mailboxes
        { "cpanel/cpmove-alice.tar.gz", "cPanel", "gzip", "alice-shop.test", "postgresql:alice_pg mysql:alice_shop", "info@alice-shop.test sales@alice-shop.test" },
        { "cpanel/backup-12.1.2026_10-00-00_bob.tar.gz", "cPanel", "gzip", "bob-blog.test", "mysql:bob_shop", "info@bob-blog.test sales@bob-blog.test" },
        { "cpanel/unpacked/cpmove-carol", "cPanel", "folder", "carol-cafe.test", "mysql:carol_shop", "info@carol-cafe.test sales@carol-cafe.test" },
        { "virtualmin/virtualmin-all.tar.gz", "Virtualmin", "gzip", "vm-shop.test", "mysql:vm-shopdb postgresql:vm-shoppg", "info@vm-shop.test sales@vm-shop.test" },
        { "virtualmin/vm-blog.test.tar.zst", "Virtualmin", "zstd", "vm-blog.test", "mysql:vm-blogdb", "info@vm-blog.test sales@vm-blog.test" },
        { "plesk/plesk-export.tar", "Plesk", "none", "plesk-shop.test", "postgresql:pgshop mysql:shopdb", "info@plesk-shop.test sales@plesk-shop.test" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Inspect_Fixture_DetectsFormatAndPreviewsEverything(string fixture, string format, string compression, string domain, string databases, string mailboxes)
    {
        var preview = Inspect(Path.Combine(await ImportFixtures.GetAsync(app.Postgres), fixture));

        Assert.Equal((format, compression), (preview.Format, preview.Compression));
        var only = Assert.Single(preview.Domains);
        Assert.Equal(domain, only.Name);
        Assert.Equal(6, only.Files); // the six web files; mail, logs, settings and links are not web files
        Assert.InRange(only.FileBytes, 20_000, 21_000);
        Assert.Equal(databases, string.Join(' ', only.Databases.Select(d => $"{d.Engine}:{d.Name}")));
        Assert.All(only.Databases, d => Assert.True(d.Bytes > 0));
        Assert.Equal(mailboxes, string.Join(' ', only.Mailboxes.Select(m => m.Address)));
        Assert.All(only.Mailboxes, m => Assert.Equal(4, m.Messages)); // three read, one new
    }

    [Fact]
    public async Task Inspect_EachFormat_WarnsAboutWhatIsNotImported()
    {
        var dir = await ImportFixtures.GetAsync(app.Postgres);

        var cpanel = string.Join('\n', Inspect(Path.Combine(dir, "cpanel/cpmove-alice.tar.gz")).Warnings);
        Assert.Contains("DNS zones (dnszones/) — not imported", cpanel, StringComparison.Ordinal);
        Assert.Contains("cron jobs (cron/) — not imported", cpanel, StringComparison.Ordinal);
        Assert.Contains("FTP accounts — not imported", cpanel, StringComparison.Ordinal);
        Assert.Contains("1 of them use GRANT … IDENTIFIED BY, which MySQL 8 refuses", cpanel, StringComparison.Ordinal);
        Assert.Contains("addon domains (addon-alice-shop.test)", cpanel, StringComparison.Ordinal);
        Assert.Contains("the account's own mailbox", cpanel, StringComparison.Ordinal);
        Assert.Equal("pkgacct 10", Inspect(Path.Combine(dir, "cpanel/cpmove-alice.tar.gz")).Version);

        var virtualmin = string.Join('\n', Inspect(Path.Combine(dir, "virtualmin/virtualmin-all.tar.gz")).Warnings);
        Assert.Contains("vm-shop.test: the DNS zone — not imported", virtualmin, StringComparison.Ordinal);
        Assert.Contains("vm-shop.test: SSL keys and certificates — not imported", virtualmin, StringComparison.Ordinal);
        Assert.Contains("mdbox format are not imported (only Maildir): legacy@vm-shop.test", virtualmin, StringComparison.Ordinal);

        var plesk = Inspect(Path.Combine(dir, "plesk/plesk-export.tar"));
        Assert.Equal("18.0.60", plesk.Version);
        Assert.Contains("plesk-shop.test: the DNS zone — not imported.", plesk.Warnings);
        Assert.Contains("plesk-shop.test: SSL keys and certificates — not imported.", plesk.Warnings);
        Assert.Equal("sql", plesk.Domains.Single().Databases.Single(d => d.Engine == "postgresql").DumpFormat); // plain SQL, loaded with psql
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "hostile/traversal.tar.gz", "climbs out with '..'" },
        { "hostile/absolute.tar", "absolute name (/tmp/evil-absolute.txt)" },
        { "hostile/bomb.tar.gz", "refused as a decompression bomb" },
        { "hostile/truncated.tar.gz", "is truncated or corrupt" },
        { "hostile/corrupt.tar.gz", "is truncated or corrupt" },
        { "hostile/ambiguous.tar.gz", "looks like more than one kind of archive: cPanel (cpmove-eve/cp/eve" },
        { "hostile/unknown.tar.gz", "not one of cPanel, Virtualmin or Plesk. At its top: project/." },
        { "hostile/not-an-archive.bin", "is not a tar archive, gzip or zstd" },
        { "hostile/archive.zip", "is a ZIP file" },
        { "hostile/empty.tar.gz", "is an empty file" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Inspect_HostileOrMalformed_RefusedWithTheReason(string fixture, string reason)
    {
        var path = Path.Combine(await ImportFixtures.GetAsync(app.Postgres), fixture);

        var refused = Assert.Throws<ImportRefusedException>(() => Inspect(path));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Handled => new()
    {
        { "hostile/links-out.tar.gz", "Skipped cpmove-eve/homedir/public_html/passwd: a link to /etc/passwd, outside the archive." },
        { "hostile/links-out.tar.gz", "Skipped cpmove-eve/homedir/public_html/up: a link to ../../../../../../etc, outside the archive." },
        { "hostile/links-out.tar.gz", "Skipped cpmove-eve/homedir/public_html/hard: a hard link to ../../etc/shadow, outside the archive." },
        { "hostile/devices.tar", "Skipped cpmove-eve/homedir/public_html/null: a CharacterDevice entry" },
        { "hostile/devices.tar", "Skipped cpmove-eve/homedir/public_html/pipe: a Fifo entry" },
        { "hostile/non-utf8.tar", "Skipped an entry whose name is not UTF-8: cpmove-eve/homedir/public_html/caf" },
    };

    [Theory]
    [MemberData(nameof(Handled))]
    public async Task Inspect_HostileEntries_SkippedAndNamedInTheWarnings(string fixture, string warning)
    {
        var preview = Inspect(Path.Combine(await ImportFixtures.GetAsync(app.Postgres), fixture));

        Assert.Equal("eve-site.test", Assert.Single(preview.Domains).Name);
        Assert.Contains(preview.Warnings, w => w.StartsWith(warning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inspect_OverTheUnpackedLimit_RefusedNamingTheSetting()
    {
        var path = Path.Combine(await ImportFixtures.GetAsync(app.Postgres), "cpanel/cpmove-alice.tar.gz");

        var refused = Assert.Throws<ImportRefusedException>(() => Inspect(path, new ImportOptions { MaxUnpackedBytes = 10_000 }));

        Assert.Contains("BackupPanel:Import:MaxUnpackedBytes", refused.Message, StringComparison.Ordinal);
    }

    private static ImportPreview Inspect(string path, ImportOptions? options = null) =>
        new ArchiveInspector(Options.Create(options ?? new ImportOptions())).Inspect(path, default);
}
