using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Import;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Restore.Bulk;
using BackupPanel.Core.Security.Paths;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Import;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

/// <summary>
/// An Operator cannot point the panel (root) at a folder outside the allowed roots, nor under a forbidden folder whatever
/// the lists say: domain roots, restore targets, bulk restore roots, import targets and sources, local destinations —
/// by calling the services (the pages call the same; FormErrorsEndToEndTests drives the domain form). Runs check again.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class AllowedRootsTests(AppFixture app, MariaDbFixture maria) : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly ImportBed _i = new(app, maria);

    private BackupTestBed Bed => _i.Bed;

    private PathGuard Paths => app.Services.GetRequiredService<PathGuard>();

    public void Dispose() => _i.Dispose();

    public static TheoryData<string> Outside => new() { "/etc/site", "/root", "/var/lib/backuppanel/x", "/usr/share/www", "/opt/not-listed", "/var" };

    [Theory]
    [MemberData(nameof(Outside))]
    public async Task Operator_DomainRoots_OutsideTheAllowedRoots_Refused(string path)
    {
        var files = await Bed.Domains.CreateAsync(new DomainInput { Name = Unique(), FilesRoot = path }, BackupTestBed.Operator, default);
        var mail = await Bed.Domains.CreateAsync(new DomainInput { Name = Unique(), MailRoot = path + "/mail" }, BackupTestBed.Admin, default);

        Assert.Contains(path, files.Errors[nameof(DomainInput.FilesRoot)], StringComparison.Ordinal);
        Assert.Contains("allowed", mail.Errors[nameof(DomainInput.MailRoot)], StringComparison.Ordinal); // an Admin too: the list is the rule
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Domains.AnyAsync(d => d.FilesRoot == path || d.MailRoot == path + "/mail"));
    }

    [Fact]
    public async Task Operator_ADomainRootThroughALinkToEtc_Refused()
    {
        var link = Path.Combine(Bed.Dir, "www");
        File.CreateSymbolicLink(link, "/etc");

        var result = await Bed.Domains.CreateAsync(new DomainInput { Name = Unique(), FilesRoot = Path.Combine(link, "nginx") }, BackupTestBed.Operator, default);

        Assert.Contains("/etc/nginx (where", result.Errors[nameof(DomainInput.FilesRoot)], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Outside))]
    public async Task Operator_RestoreTargetsAndBulkRoots_OutsideTheAllowedRoots_Refused(string path)
    {
        var domain = await DomainWithFilesAsync();
        var backup = await Bed.BackUpAndWaitAsync(domain.Id);

        var single = await Bed.Restores.StartAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = path }, BackupTestBed.Operator, default);
        var bulk = await app.Services.GetRequiredService<BulkRestoreService>().CreateAsync(
            new BulkRestoreRequest { BackupIds = [backup.Id], AlternateRoot = path }, BackupTestBed.Operator, default);

        Assert.Contains(path, single.Errors[nameof(RestoreRequest.TargetDirectory)], StringComparison.Ordinal);
        Assert.Contains(path, bulk.Errors[nameof(BulkRestoreRequest.AlternateRoot)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_ImportSourcesAndTargets_OutsideTheAllowedRoots_Refused()
    {
        var source = await _i.Imports.CreateFromServerPathAsync("/etc/passwd", BackupTestBed.Operator, default);
        Assert.Contains("/etc/passwd is never allowed", source.Errors["Path"], StringComparison.Ordinal);

        var created = await _i.Imports.CreateFromServerPathAsync(Path.Combine(await _i.FixturesAsync(), "cpanel/cpmove-alice.tar.gz"), BackupTestBed.Operator, default);
        var inspected = await _i.InspectedAsync(created.Id!.Value);
        var request = await _i.RequestAsync(ImportService.PreviewOf(inspected)!);
        (request.FilesRoot, request.MailRoot) = ("/root/{domain}", "/etc/mail/{domain}");

        var started = await _i.Imports.StartAsync(inspected.Id, request, BackupTestBed.Operator, default);

        Assert.Contains("/root/alice-shop.test is never allowed", started.Errors[nameof(ImportRequest.FilesRoot)], StringComparison.Ordinal);
        Assert.Contains("/etc/mail/alice-shop.test is never allowed", started.Errors[nameof(ImportRequest.MailRoot)], StringComparison.Ordinal);
        Assert.Equal(ImportStatus.Ready, (await _i.Imports.GetAsync(inspected.Id, default))!.Status);
    }

    [Theory]
    [InlineData("/etc/backups", "never allowed")]
    [InlineData("/var/lib/backuppanel/pg", "never allowed")]
    [InlineData("/opt/backups", "not under")]
    public async Task LocalDestinations_OutsideTheirAllowedRoots_Refused(string path, string reason)
    {
        var result = await app.Services.GetRequiredService<DestinationService>().CreateAsync(RemoteDestinationBed.Local(path, $"roots-{Guid.NewGuid():N}"[..16]), BackupTestBed.Admin, default);

        Assert.Contains(reason, result.Errors[nameof(Core.Destinations.Kinds.Local.LocalInput.Path)], StringComparison.Ordinal);
        Assert.False(Directory.Exists(path) && path.StartsWith("/opt/backups", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lists_OnlyAnAdminChangesThem_ForbiddenFoldersNeverGoIn_AndRunsCheckAgain()
    {
        var before = await Paths.GetAsync(default);
        var extra = Path.Combine(Bed.Dir, "extra-sites");
        try
        {
            var byOperator = await Paths.SaveAsync(new AllowedRootsInput { DataRoots = "/" }, BackupTestBed.Operator, default);
            Assert.Contains("Only an Admin", byOperator[nameof(AllowedRootsInput.DataRoots)], StringComparison.Ordinal);
            foreach (var forbidden in new[] { "/", "/etc", "/var", "/var/lib", "/usr/local", "/lib64", "relative", "/home/../etc" })
            {
                var errors = await Paths.SaveAsync(new AllowedRootsInput { DataRoots = $"/home\n{forbidden}" }, BackupTestBed.Admin, default);
                Assert.True(errors.ContainsKey(nameof(AllowedRootsInput.DataRoots)), forbidden);
            }

            Assert.Equal(before.DataRoots, (await Paths.GetAsync(default)).DataRoots);

            // A domain under a folder an Admin allows is saved and backed up; once the Admin narrows the list, its
            // backups stop with the reason and its restores write nothing.
            var sites = Path.Combine(Bed.Dir, "sites"); // under /tmp, allowed for the suite: not allowed once the list is narrowed
            var domain = await DomainWithFilesAsync();
            var backup = await Bed.BackUpAndWaitAsync(domain.Id);
            Assert.Equal(BackupStatus.Succeeded, backup.Status);
            Assert.Empty(await Paths.SaveAsync(With(before, "/home\n" + extra), BackupTestBed.Admin, default));

            var refused = await Bed.BackUpAndWaitAsync(domain.Id);
            Assert.Equal(BackupStatus.Failed, refused.Status);
            Assert.Contains("is not under a folder allowed for domain folders", refused.Error, StringComparison.Ordinal);
            File.Delete(Path.Combine(sites, "index.html"));
            var run = await Bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id });
            Assert.Equal(RestoreStatus.Failed, run.Status);
            Assert.False(File.Exists(Path.Combine(sites, "index.html")));
        }
        finally
        {
            Assert.Empty(await Paths.SaveAsync(AllowedRootsInput.From(before), BackupTestBed.Admin, default));
        }
    }

    [Fact]
    public async Task Upgrade_WhatIsInUseIsAdded_AndTheAdminIsTold()
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var before = await Paths.GetAsync(default);
        var legacy = new Domain { Id = Guid.NewGuid(), Name = Unique(), FilesRoot = "/opt/legacy-sites/shop", MailRoot = "/etc/legacy-mail", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Domains.Add(legacy); // as an install before allowed roots had it
        await db.SaveChangesAsync();
        try
        {
            await db.AllowedRoots.ExecuteDeleteAsync();

            var roots = await Paths.GetAsync(default);

            Assert.Contains("/opt/legacy-sites/shop", roots.DataRoots);
            Assert.DoesNotContain(roots.DataRoots, r => r.StartsWith("/etc", StringComparison.Ordinal));
            Assert.Contains("Added on upgrade so that what the panel used keeps working: /opt/legacy-sites/shop", roots.UpgradeNote, StringComparison.Ordinal);
            Assert.Contains("never allowed", roots.UpgradeNote, StringComparison.Ordinal);
            Assert.Contains("/etc/legacy-mail", roots.UpgradeNote, StringComparison.Ordinal);
            Assert.Null(await Paths.CheckAsync("/opt/legacy-sites/shop", PathUse.Data, default));
        }
        finally
        {
            await db.Domains.Where(d => d.Id == legacy.Id).ExecuteDeleteAsync();
            Assert.Empty(await Paths.SaveAsync(AllowedRootsInput.From(before), BackupTestBed.Admin, default));
        }
    }

    private async Task<Domain> DomainWithFilesAsync()
    {
        var sites = Path.Combine(Bed.Dir, "sites");
        Directory.CreateDirectory(sites);
        await File.WriteAllTextAsync(Path.Combine(sites, "index.html"), "hello");
        if (Bed.DestinationId == Guid.Empty) await Bed.AddDestinationAsync();
        return await Bed.AddDomainAsync(new DomainInput { FilesRoot = sites });
    }

    private static AllowedRootsInput With(AllowedRoots roots, string dataRoots)
    {
        var input = AllowedRootsInput.From(roots);
        input.DataRoots = dataRoots;
        return input;
    }

    private static string Unique() => $"r{Guid.NewGuid():N}"[..12] + ".example.com";
}
