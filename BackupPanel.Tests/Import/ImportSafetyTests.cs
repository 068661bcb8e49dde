using BackupPanel.Core.Destinations;
using BackupPanel.Core.Import;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BackupPanel.Tests.Import;

/// <summary>Hostile archives, failures half-way and bad input: refused or rolled back, nothing written outside the target.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ImportSafetyTests(AppFixture app, MariaDbFixture maria) : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly ImportBed _i = new(app, maria);

    public void Dispose() => _i.Dispose();

    [Theory]
    [InlineData("hostile/traversal.tar.gz", "climbs out with '..'")]
    [InlineData("hostile/absolute.tar", "absolute name")]
    [InlineData("hostile/bomb.tar.gz", "decompression bomb")]
    [InlineData("hostile/truncated.tar.gz", "truncated or corrupt")]
    [InlineData("hostile/ambiguous.tar.gz", "more than one kind of archive")]
    public async Task Inspect_HostileUpload_RefusedWithTheReasonAndTheUploadRemoved(string fixture, string reason)
    {
        var archive = Path.Combine(await _i.FixturesAsync(), fixture);
        await using var body = File.OpenRead(archive);

        var created = await _i.Imports.CreateFromUploadAsync(Path.GetFileName(archive), body, BackupTestBed.Operator, default);
        var run = await _i.InspectedAsync(created.Id!.Value);

        Assert.Equal(ImportStatus.Refused, run.Status);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(run.ArchivePath));
        Assert.False((await _i.Imports.StartAsync(run.Id, new ImportRequest(), BackupTestBed.Operator, default)).Succeeded);
        Assert.False(File.Exists("/tmp/evil.txt") || File.Exists("/tmp/evil-absolute.txt"));
    }

    [Fact]
    public async Task Import_LinksOutDevicesAndBadNames_SkippedWithWarningsAndNothingOutsideTheTarget()
    {
        await ForgetEveAsync();
        var result = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), "hostile/links-out.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(result.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);

        var run = await _i.ImportAsync(inspected.Id, request);

        Assert.True(run.Status == ImportStatus.Succeeded, run.Error + "\n" + run.Log);
        var domain = (await _i.Bed.Domains.ListAsync(default)).Single(d => d.Name == "eve-site.test");
        var web = Path.Combine(domain.FilesRoot!, "public_html");
        Assert.True(File.Exists(Path.Combine(web, "index.html")));
        foreach (var name in (string[])["passwd", "up", "hard"])
        {
            Assert.Null(Core.Archive.UnixFile.TryLstat(Path.Combine(web, name)));
        }

        Assert.Equal("assets", new FileInfo(Path.Combine(web, "current")).LinkTarget); // a link inside stays
        var backup = await _i.Bed.Backups.GetAsync(ImportService.ResultsOf(run).Single().BackupId!.Value, default);
        Assert.Contains("a link to /etc/passwd, outside the archive", backup!.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SetuidRootProgram_LandsWithoutTheBitsOwnedByTheDomainsOwner()
    {
        // The archive says public_html/x is 4755 and y 2755, both root's. The site's folder belongs to nobody:nogroup.
        const int Nobody = 65534;
        await ForgetEveAsync();
        var result = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), "hostile/setuid.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(result.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);
        var www = request.FilesRoot!.Replace("{domain}", "eve-site.test", StringComparison.Ordinal);
        Directory.CreateDirectory(www);
        Assert.True(Core.Archive.UnixFile.TryChangeOwner(www, Nobody, Nobody, out var error), error);

        var run = await _i.ImportAsync(inspected.Id, request);
        try
        {
            Assert.True(run.Status == ImportStatus.Succeeded, run.Error + "\n" + run.Log);
            foreach (var (name, bits) in new[] { ("x", UnixFileMode.SetUser), ("y", UnixFileMode.SetGroup) })
            {
                var status = Core.Archive.UnixFile.TryLstat(Path.Combine(www, "public_html", name))!.Value;
                Assert.Equal((UnixFileMode)0b111_101_101, status.Mode); // 0755: the bit is gone, the rest as archived
                Assert.Equal((Nobody, Nobody), (status.Uid, status.Gid));
                Assert.Equal((UnixFileMode)0, status.Mode & bits);
            }

            var index = Core.Archive.UnixFile.TryLstat(Path.Combine(www, "public_html", "index.html"))!.Value;
            Assert.Equal((Nobody, Nobody), (index.Uid, index.Gid)); // every root-owned entry goes to the owner, not only the programs
            var backup = await _i.Bed.Backups.GetAsync(ImportService.ResultsOf(run).Single().BackupId!.Value, default);
            Assert.Contains("setuid/setgid dropped on 2 imported entries", backup!.Log, StringComparison.Ordinal);
            Assert.Contains("given to the domain's owner nobody:nogroup", run.Log, StringComparison.Ordinal);
        }
        finally
        {
            await ForgetEveAsync();
        }
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    public async Task Import_DumpThatRunsAShellCommand_RefusedAndNothingRuns(string engine)
    {
        var marker = engine == "mysql" ? "/tmp/bp-import-pwned-mysql" : "/tmp/bp-import-pwned-psql";
        File.Delete(marker);
        var result = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), $"hostile/shell-in-{(engine == "mysql" ? "mysql" : "psql")}.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(result.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);

        var run = await _i.ImportAsync(inspected.Id, request);

        Assert.Equal(ImportStatus.Failed, run.Status); // the client refuses the command and stops
        Assert.False(File.Exists(marker), "the dump's shell command ran");
        Assert.DoesNotContain(await _i.Bed.Domains.ListAsync(default), d => d.Name == "eve-site.test");
    }

    [Fact]
    public async Task Import_DatabaseServerRefusesHalfWay_NewDomainRolledBackWithItsFoldersAndBackup()
    {
        var result = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), "cpanel/backup-12.1.2026_10-00-00_bob.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(result.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);
        request.MySql = await _i.MySqlServerAsync(password: "not-the-password");

        var run = await _i.ImportAsync(inspected.Id, request);

        Assert.Equal(ImportStatus.Failed, run.Status);
        var failed = Assert.Single(ImportService.ResultsOf(run));
        Assert.Contains("bob-blog.test", run.Error, StringComparison.Ordinal);
        Assert.Null(failed.BackupId);
        Assert.DoesNotContain(await _i.Bed.Domains.ListAsync(default), d => d.Name == "bob-blog.test");
        Assert.False(Directory.Exists(Path.Combine(_i.Root, "bob-blog.test")) && Directory.EnumerateFileSystemEntries(Path.Combine(_i.Root, "bob-blog.test"), "*", SearchOption.AllDirectories).Any());
        Assert.Contains("Rolled back", run.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(_i.Bed.StoredFiles(), f => f.StartsWith("bob-blog.test/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("archive.exe", 100, "Upload a tar archive")]
    [InlineData("../../etc/cron.d/x.tar.gz", 5000, "larger than the upload limit")]
    public async Task Upload_WrongTypeOrTooBig_RefusedAndNothingKept(string name, int bytes, string reason)
    {
        var service = new ImportService(app.Services.GetRequiredService<IDbContextFactory<Core.Data.BackupPanelDbContext>>(), app.Services.GetRequiredService<IBackgroundJobClient>(),
            app.Services.GetRequiredService<AuditService>(), app.Services.GetRequiredService<SecretProtector>(), app.Services.GetRequiredService<DestinationStorage>(),
            Options.Create(new ImportOptions { MaxUploadBytes = 1000, UploadDirectory = Path.Combine(_i.Bed.Dir, "uploads") }), TimeProvider.System, app.Services.GetRequiredService<Core.Security.Paths.PathGuard>());

        var result = await service.CreateFromUploadAsync(name, new MemoryStream(new byte[bytes]), BackupTestBed.Operator, default);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Errors["File"], StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(service.UploadDirectory) ? Directory.GetFiles(service.UploadDirectory) : []);
    }

    public static TheoryData<string, string> BadChoices => new()
    {
        { "unknown-domain", nameof(ImportRequest.Domains) },
        { "no-destination", nameof(ImportRequest.DestinationId) },
        { "relative-root", nameof(ImportRequest.FilesRoot) },
        { "dotdot-mail-root", nameof(ImportRequest.MailRoot) },
        { "no-mysql-user", nameof(ImportRequest.MySql) },
        { "bad-port", nameof(ImportRequest.PostgreSql) },
        { "hostile-db-name", nameof(ImportRequest.DatabaseNames) },
        { "huge-root", nameof(ImportRequest.FilesRoot) },
    };

    [Theory]
    [MemberData(nameof(BadChoices))]
    public async Task Start_BadChoices_SaysWhatIsWrongAndImportsNothing(string bad, string field)
    {
        var result = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), "virtualmin/virtualmin-all.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(result.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);
        switch (bad)
        {
            case "unknown-domain": request.Domains = ["evil.test"]; break;
            case "no-destination": request.DestinationId = Guid.NewGuid(); break;
            case "relative-root": request.FilesRoot = "www/{domain}"; break;
            case "dotdot-mail-root": request.MailRoot = "/srv/../etc/{domain}"; break;
            case "no-mysql-user": request.MySql.User = " "; break;
            case "bad-port": request.PostgreSql.Port = 70000; break;
            case "hostile-db-name": request.DatabaseNames["mysql:vm-shopdb"] = "x`; DROP DATABASE mysql; --"; break;
            default: request.FilesRoot = "/" + new string('a', 5000) + "/{domain}"; break;
        }

        var started = await _i.Imports.StartAsync(inspected.Id, request, BackupTestBed.Operator, default);

        Assert.False(started.Succeeded);
        Assert.True(started.Errors.ContainsKey(field), string.Join("; ", started.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Equal(ImportStatus.Ready, (await _i.Imports.GetAsync(inspected.Id, default))!.Status);
    }

    [Fact]
    public async Task Import_WithASuperuserAccount_RefusedUnlessAnAdminAllowsIt()
    {
        // Found: the sandboxed clients stop a dump's client commands, not server-side SQL (COPY … PROGRAM as superuser,
        // SELECT … INTO OUTFILE with FILE): the suite's postgres superuser and ALL-on-*.* MariaDB account were taken as given.
        var created = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), "cpanel/cpmove-alice.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(created.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);
        request.UpdateExisting = true;

        var byOperator = await _i.Imports.StartAsync(inspected.Id, request, BackupTestBed.Operator, default);
        Assert.Contains("Only an Admin", byOperator.Errors[nameof(ImportRequest.AllowPrivilegedAccounts)], StringComparison.Ordinal);

        request.AllowPrivilegedAccounts = false;
        var before = (await _i.Bed.Domains.ListAsync(default)).Count;
        var started = await _i.Imports.StartAsync(inspected.Id, request, BackupTestBed.Operator, default);
        Assert.True(started.Succeeded, string.Join("; ", started.Errors.Values));
        ImportRun? run = null;
        await Poll.UntilAsync(async () => (run = await _i.Imports.GetAsync(inspected.Id, default))!.Status is ImportStatus.Failed or ImportStatus.Succeeded, "the import to end", 120);

        Assert.Equal(ImportStatus.Failed, run!.Status);
        Assert.Matches("account .* has (superuser|ALL PRIVILEGES|FILE|SUPER)", run.Error);
        Assert.Equal(before, (await _i.Bed.Domains.ListAsync(default)).Count); // nothing created
    }

    /// <summary>eve-site.test is every hostile fixture's domain: these tests import it as a new domain.</summary>
    private async Task ForgetEveAsync()
    {
        if ((await _i.Bed.Domains.ListAsync(default)).SingleOrDefault(d => d.Name == "eve-site.test") is { } domain)
        {
            await _i.Bed.Domains.DeleteAsync(domain.Id, BackupTestBed.Admin, default);
        }
    }
}
