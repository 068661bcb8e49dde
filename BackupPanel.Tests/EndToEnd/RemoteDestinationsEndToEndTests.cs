using System.Text;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// Remote destinations in Chromium against the real executable and real servers: an SFTP destination (host key
/// fetched and confirmed), an FTPS one (pinned certificate) and an S3 one, each tested; a backup to Local + SFTP +
/// FTPS + S3 with every copy read back; a restore read from the S3 copy. Then no secret anywhere: not in the panel's
/// log output, not in any page the run showed.
/// </summary>
public sealed class RemoteDestinationsEndToEndTests(AdminBrowserFixture fixture, SshdFixture sshd, VsftpdFixture vsftpd, S3rverFixture s3)
    : IClassFixture<AdminBrowserFixture>, IClassFixture<SshdFixture>, IClassFixture<VsftpdFixture>, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("e2e-remote");
    private readonly StringBuilder _seen = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AddTestBackUpRestore_ThroughThePages_FourCopiesAndARestoreFromS3_NoSecretShown()
    {
        var files = Path.Combine(_dir, "www");
        TestTrees.Write(files, "index.html", "<h1>offsite</h1>");
        await File.WriteAllBytesAsync(Path.Combine(files, "media.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(6 << 20));
        var bucket = (await s3.NewBucketAsync()).Bucket;
        await using var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await PanelPages.SignInAsync(page, fixture.App);
            await AddLocalAsync(page);
            await AddSftpAsync(page);
            await AddFtpsAsync(page);
            await AddS3Async(page, bucket);
            await BackUpAndRestoreFromS3Async(page, files);
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-remote-e2e"), FullPage = true });
            throw;
        }

        Assert.Equal(TreeSnapshot.Take(files, withoutSpecialBits: true), TreeSnapshot.Take(Path.Combine(_dir, "restored")));
        foreach (var secret in new[] { SshdFixture.Password, VsftpdFixture.Password, "E2E-S3-SECRET" })
        {
            Assert.DoesNotContain(secret, fixture.App.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, _seen.ToString(), StringComparison.Ordinal);
        }
    }

    private async Task AddLocalAsync(IPage page)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dest"));
        await OpenAddDialogAsync(page, "Local disk", null);
        await Field(page, "destination-path").FillAsync(Path.Combine(_dir, "dest"));
        await SaveAndTestAsync(page, "Local disk");
    }

    private async Task AddSftpAsync(IPage page)
    {
        await OpenAddDialogAsync(page, "Offsite SFTP", "SFTP (SSH)");
        await PanelPages.FillSftpAsync(page, sshd, "panel-e2e");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("20-sftp-destination-form"), FullPage = true });
        await SaveAndTestAsync(page, "Offsite SFTP");
    }

    private async Task AddFtpsAsync(IPage page)
    {
        await OpenAddDialogAsync(page, "Office FTPS", "FTP / FTPS");
        await Field(page, "destination-host").FillAsync("127.0.0.1");
        await Field(page, "destination-port").FillAsync(vsftpd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Field(page, "destination-user").FillAsync(VsftpdFixture.User);
        await Field(page, "destination-password").FillAsync(VsftpdFixture.Password);
        await Field(page, "destination-path").FillAsync("panel-e2e");
        await Field(page, "destination-certificate").FillAsync(vsftpd.CertificateSha256);
        await SaveAndTestAsync(page, "Office FTPS");
    }

    private async Task AddS3Async(IPage page, string bucket)
    {
        await OpenAddDialogAsync(page, "Offsite S3", "S3 or S3-compatible");
        // s3rver checks the key ID only; a distinctive secret shows whether it leaks anywhere.
        await PanelPages.FillS3Async(page, s3, bucket, "E2E-S3-SECRET");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("21-s3-destination-form"), FullPage = true });
        await SaveAndTestAsync(page, "Offsite S3");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("22-destinations"), FullPage = true });
    }

    private async Task BackUpAndRestoreFromS3Async(IPage page, string files)
    {
        await GotoAsync(page, "/domains/new");
        await Field(page, "domain-name").FillAsync("offsite.example.com");
        await Field(page, "domain-files-root").FillAsync(files);
        await page.ClickAsync("[data-testid=save-domain]");
        await Assertions.Expect(page.Locator("[data-testid=domain-title]")).ToHaveTextAsync("offsite.example.com");
        await page.ClickAsync("[data-testid=backup-destinations]");
        foreach (var name in new[] { "Offsite SFTP", "Office FTPS", "Offsite S3" })
            await PanelPages.ChooseAsync(page, name);
        await page.Keyboard.PressAsync("Escape");
        await page.ClickAsync("[data-testid=back-up-now]");
        await Assertions.Expect(page.Locator("[data-testid=backup-progress] [data-testid=backup-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await page.ClickAsync("[data-testid=backup-table] [data-testid=backup-link]");
        await Assertions.Expect(page.Locator("[data-testid=backup-copy]", new() { HasText = "Stored" })).ToHaveCountAsync(4);
        await page.ClickAsync("[data-testid=verify-backup]");
        await Assertions.Expect(page.Locator("[data-testid=verify-result]")).ToContainTextAsync("4 copies read back in full", new() { Timeout = 120_000 });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("23-backup-four-copies"), FullPage = true });
        _seen.Append(await page.ContentAsync());

        await page.ClickAsync("[data-testid=restore-backup]");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("Somewhere else").ClickAsync();
        await Field(page, "restore-target-directory").FillAsync(Path.Combine(_dir, "restored"));
        await page.ClickAsync("[data-testid=restore-from]");
        await PanelPages.ChooseAsync(page, "Offsite S3");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("24-restore-from-s3"), FullPage = true });
        await page.ClickAsync("[data-testid=start-restore]");
        await Assertions.Expect(page.Locator("[data-testid=restore-status]").First).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=restore-log]").First).ToContainTextAsync("UTC) from Offsite S3.");
        _seen.Append(await page.ContentAsync());
    }

    private Task OpenAddDialogAsync(IPage page, string name, string? kind) => PanelPages.OpenAddDestinationAsync(page, fixture.App, name, kind);

    private async Task SaveAndTestAsync(IPage page, string name)
    {
        var row = await PanelPages.SaveAndTestAsync(page, name);
        _seen.Append(await page.ContentAsync());
        await row.Locator("[data-testid=edit-destination]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        _seen.Append(await page.ContentAsync()); // the edit form: secrets are never sent back to the browser
        await page.Keyboard.PressAsync("Escape");
    }

    private Task GotoAsync(IPage page, string path) => PanelPages.GotoAsync(page, fixture.App, path);

    private static ILocator Field(IPage page, string testId) => PanelPages.Field(page, testId);
}
