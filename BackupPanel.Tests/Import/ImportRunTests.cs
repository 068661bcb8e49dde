using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Import;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Import;

/// <summary>Full imports into the suite's PostgreSQL and MariaDB: files, mail and rows arrive; the imported backup is in the catalog; re-running is safe.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ImportRunTests(AppFixture app, MariaDbFixture maria) : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly ImportBed _i = new(app, maria);

    public void Dispose() => _i.Dispose();

    [Fact]
    public async Task Import_UploadedCPanelArchive_EverythingArrivesAndTheOriginalIsKeptAndARerunIsSafe()
    {
        var archive = Path.Combine(await _i.FixturesAsync(), "cpanel/cpmove-alice.tar.gz");
        var unpacked = Path.Combine(_i.Bed.Dir, "by-hand");
        Directory.CreateDirectory(unpacked);
        (await Shell.RunAsync("tar", ["-xzf", archive, "-C", unpacked])).EnsureSuccess("tar -x");

        var (run, request) = await UploadAndImportAsync(archive);

        Assert.True(run.Status == ImportStatus.Succeeded, run.Error + "\n" + run.Log);
        var result = Assert.Single(ImportService.ResultsOf(run));
        Assert.True(result.Created);
        var domain = (await _i.Bed.Domains.ListAsync(default)).Single(d => d.Name == "alice-shop.test");
        var home = Path.Combine(unpacked, "cpmove-alice", "homedir");
        Assert.Equal(Tree(Path.Combine(home, "public_html")), Tree(Path.Combine(domain.FilesRoot!, "public_html")));
        Assert.Equal(["public_html"], Directory.EnumerateFileSystemEntries(domain.FilesRoot!).Select(Path.GetFileName)); // no mail/, etc/ (passwords), tmp/
        Assert.Equal(Tree(Path.Combine(home, "mail", "alice-shop.test", "info")), Tree(Path.Combine(domain.MailRoot!, "info")));
        Assert.Equal(Tree(Path.Combine(home, "mail", "alice-shop.test", "sales")), Tree(Path.Combine(domain.MailRoot!, "sales")));
        Assert.Equal(25, await ImportBed.MySqlCountAsync(request.MySql, request.DatabaseNames["mysql:alice_shop"], "orders"));
        Assert.Equal(30, await _i.PostgresCountAsync(request.DatabaseNames["postgresql:alice_pg"], "products"));

        var backup = (await _i.Bed.Backups.GetAsync(result.BackupId!.Value, default))!;
        Assert.Equal((BackupStatus.Succeeded, domain.Id), (backup.Status, backup.DomainId));
        var original = backup.Components.Single(c => c.Kind == ArchiveLayout.OriginalKind);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(archive))), original.PlainSha256);
        Assert.Equal(["files", "mail", "mysql", "original", "postgresql"], backup.Components.Select(c => c.Kind).Order());
        Assert.False(File.Exists(run.ArchivePath)); // the upload is removed once imported; the original is in the catalog

        // The same archive again: refused unless the person ticks "Update existing domains" (found updating silently),
        // then the domain is updated (not doubled), the data stay the same, one more imported backup.
        var second = await _i.InspectedAsync((await UploadAsync(archive)).Id!.Value);
        var refused = await _i.Imports.StartAsync(second.Id, request, BackupTestBed.Operator, default);
        Assert.Contains(Assert.Single(ImportService.PreviewOf(second)!.Domains).Name + " is a domain of this panel already", refused.Errors[nameof(ImportRequest.UpdateExisting)], StringComparison.Ordinal);
        Assert.Equal(["alice-shop.test"], await _i.Imports.ExistingDomainsAsync(ImportService.PreviewOf(second)!, default));
        request.UpdateExisting = true;
        var again = await _i.ImportAsync(second.Id, request);
        Assert.True(again.Status == ImportStatus.Succeeded, again.Error + "\n" + again.Log);
        Assert.False(Assert.Single(ImportService.ResultsOf(again)).Created);
        Assert.Single(await _i.Bed.Domains.ListAsync(default), d => d.Name == "alice-shop.test");
        Assert.Equal(Tree(Path.Combine(home, "public_html")), Tree(Path.Combine(domain.FilesRoot!, "public_html")));
        Assert.Equal(25, await ImportBed.MySqlCountAsync(request.MySql, request.DatabaseNames["mysql:alice_shop"], "orders"));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await db.Backups.CountAsync(b => b.DomainId == domain.Id && b.Status == BackupStatus.Succeeded)); // two imports and the safety backup of the second
    }

    public static TheoryData<string, string, string> Sources => new()
    {
        { "cpanel/backup-12.1.2026_10-00-00_bob.tar.gz", "path", "bob-blog.test" },
        { "cpanel/unpacked/cpmove-carol", "path", "carol-cafe.test" },
        { "virtualmin/virtualmin-all.tar.gz", "path", "vm-shop.test" },
        { "virtualmin/vm-blog.test.tar.zst", "upload", "vm-blog.test" },
        { "plesk/plesk-export.tar", "destination", "plesk-shop.test" },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Import_EachFormatAndSource_FilesMailAndDatabasesArrive(string fixture, string source, string name)
    {
        var archive = Path.Combine(await _i.FixturesAsync(), fixture);
        await _i.Bed.AddDestinationAsync();
        var created = source switch
        {
            "upload" => await UploadAsync(archive),
            "destination" => await FromDestinationAsync(archive),
            _ => await _i.Imports.CreateFromServerPathAsync(archive, BackupTestBed.Operator, default),
        };
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Values));
        var inspected = await _i.InspectedAsync(created.Id!.Value);
        Assert.True(inspected.Status == ImportStatus.Ready, inspected.Error);
        var preview = ImportService.PreviewOf(inspected)!;
        var request = await _i.RequestAsync(preview);

        var run = await _i.ImportAsync(inspected.Id, request);

        Assert.True(run.Status == ImportStatus.Succeeded, run.Error + "\n" + run.Log);
        var domain = (await _i.Bed.Domains.ListAsync(default)).Single(d => d.Name == name);
        var web = Directory.EnumerateFiles(domain.FilesRoot!, "index.html", SearchOption.AllDirectories).Single();
        Assert.Contains($"<h1>{name}</h1>", await File.ReadAllTextAsync(web), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(web)!, "uploads", "ünïcode photo.txt")));
        foreach (var box in new[] { "info", "sales" })
        {
            Assert.Equal(3, Directory.GetFiles(Path.Combine(domain.MailRoot!, box, "cur")).Length);
            Assert.Single(Directory.GetFiles(Path.Combine(domain.MailRoot!, box, "new")));
        }

        foreach (var database in preview.Domains.Single().Databases)
        {
            var target = request.DatabaseNames[ImportRequest.DatabaseKey(database.Engine, database.Name)];
            Assert.Equal(database.Engine == "mysql" ? 25 : 30, database.Engine == "mysql"
                ? await ImportBed.MySqlCountAsync(request.MySql, target, "orders") : await _i.PostgresCountAsync(target, "products"));
        }

        // The imported backup verifies like any other (every dump format included: custom, tar, plain SQL).
        var backupId = ImportService.ResultsOf(run).Single().BackupId!.Value;
        await _i.Bed.Verifier.VerifyAsync(backupId, default);
        var verified = await _i.Bed.Backups.GetAsync(backupId, default);
        Assert.True(verified!.VerifySucceeded, verified.VerifyMessage);
    }

    /// <summary>Names, kinds, modes, contents and link targets; not mtimes (GNU tar, the reference here, does not restore every one).</summary>
    private static IReadOnlyList<string> Tree(string root) => TreeSnapshot.Take(root, long.MaxValue);

    private async Task<(ImportRun Run, ImportRequest Request)> UploadAndImportAsync(string archive, ImportRequest? request = null)
    {
        var created = await UploadAsync(archive);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Values));
        var inspected = await _i.InspectedAsync(created.Id!.Value);
        Assert.True(inspected.Status == ImportStatus.Ready, inspected.Error);
        request ??= await _i.RequestAsync(ImportService.PreviewOf(inspected)!);
        return (await _i.ImportAsync(inspected.Id, request), request);
    }

    private async Task<Core.SaveResult> UploadAsync(string archive)
    {
        await using var body = File.OpenRead(archive);
        return await _i.Imports.CreateFromUploadAsync(Path.GetFileName(archive), body, BackupTestBed.Operator, default);
    }

    private async Task<Core.SaveResult> FromDestinationAsync(string archive)
    {
        var key = "incoming/" + Path.GetFileName(archive);
        Directory.CreateDirectory(Path.Combine(_i.Bed.DestinationPath, "incoming"));
        File.Copy(archive, Path.Combine(_i.Bed.DestinationPath, key));
        return await _i.Imports.CreateFromDestinationAsync(_i.Bed.DestinationId, key, BackupTestBed.Operator, default);
    }
}
