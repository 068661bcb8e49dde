using BackupPanel.Core.Backups;
using BackupPanel.Core.Destinations.Kinds.S3;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// docs/DESTINATIONS.md's disaster recovery, for real: one panel backs a domain up to SFTP and S3 and is then gone
/// (its database with it). A fresh panel — its own executable, an empty database — gets the two destinations and the
/// old recovery kit, imports the backups from each destination and restores the files.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class DisasterRecoveryEndToEndTests(AppFixture oldPanel, AdminBrowserFixture freshPanel, SshdFixture sshd, S3rverFixture s3)
    : IClassFixture<AdminBrowserFixture>, IClassFixture<SshdFixture>, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly BackupTestBed _bed = new(oldPanel);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task FreshPanel_AddDestinationsKitAndImport_RestoresWhatTheLostPanelBackedUp()
    {
        // The panel that will be lost.
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "<h1>still here after the fire</h1>");
        TestTrees.Write(files, "uploads/ünïcode.txt", "unicode survives");
        var sftpInput = RemoteDestinationBed.Sftp(sshd);
        var s3Input = await RemoteDestinationBed.S3Async(s3);
        var sftp = await RemoteDestinationBed.CreateAsync(oldPanel, sftpInput);
        var s3Id = await RemoteDestinationBed.CreateAsync(oldPanel, s3Input);
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var backup = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [sftp, s3Id], BackupTestBed.Operator, default));
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        var kit = await oldPanel.Services.GetRequiredService<EncryptionService>().RecoveryKitAsync(BackupTestBed.Operator, default);

        // The fresh panel: destinations, the old kit, import from each destination, restore.
        await using var context = await CspCheckedContext.NewAsync(freshPanel.Browser, new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var app = freshPanel.App;
        var target = Path.Combine(_bed.Dir, "recovered");
        try
        {
            await PanelPages.SignInAsync(page, app);
            await PanelPages.OpenAddDestinationAsync(page, app, "Old SFTP", "SFTP (SSH)");
            await PanelPages.FillSftpAsync(page, sshd, RemoteDestinationBed.FolderOf(sftpInput));
            var sftpRow = await PanelPages.SaveAndTestAsync(page, "Old SFTP");
            await PanelPages.OpenAddDestinationAsync(page, app, "Old S3", "S3 or S3-compatible");
            await PanelPages.FillS3Async(page, s3, ((S3Input)s3Input.Settings).Bucket, S3rverFixture.SecretKey);
            await PanelPages.SaveAndTestAsync(page, "Old S3");

            await PanelPages.GotoAsync(page, app, "/admin/encryption");
            await PanelPages.Field(page, "recovery-kit-text").FillAsync(kit);
            await page.ClickAsync("[data-testid=import-recovery-kit]");
            await Assertions.Expect(page.Locator("[data-testid=keys-table]")).ToContainTextAsync("Restored from a recovery kit");

            await PanelPages.GotoAsync(page, app, "/destinations");
            sftpRow = page.Locator("[data-testid=destinations-table] tr", new() { HasText = "Old SFTP" });
            await sftpRow.Locator("[data-testid=import-backups]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Old SFTP" })).ToContainTextAsync("Found 1 backup(s): 1 added");
            await page.Locator("[data-testid=destinations-table] tr", new() { HasText = "Old S3" }).Locator("[data-testid=import-backups]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Old S3" })).ToContainTextAsync("1 more copy of known backups");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("30-dr-imported"), FullPage = true });

            await PanelPages.GotoAsync(page, app, "/backups");
            await page.ClickAsync("[data-testid=history-table] [data-testid=backup-link]");
            await Assertions.Expect(page.Locator("[data-testid=backup-copy]", new() { HasText = "Stored" })).ToHaveCountAsync(2);
            await page.ClickAsync("[data-testid=restore-backup]");
            await page.GetByRole(AriaRole.Dialog).GetByText("Somewhere else").ClickAsync();
            await PanelPages.Field(page, "restore-target-directory").FillAsync(target);
            await page.ClickAsync("[data-testid=start-restore]");
            await Assertions.Expect(page.Locator("[data-testid=restore-status]").First).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("31-dr-restored"), FullPage = true });
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-dr-e2e"), FullPage = true });
            throw;
        }

        Assert.Equal(TreeSnapshot.Take(files), TreeSnapshot.Take(target));
    }
}
