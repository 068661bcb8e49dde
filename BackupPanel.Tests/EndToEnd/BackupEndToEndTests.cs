using System.Text.RegularExpressions;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// The whole story in Chromium against the real executable: a Local destination, a domain with files and a
/// PostgreSQL database, Back up now with live progress, Succeeded, Verify, Restore into another folder.
/// </summary>
public sealed class BackupEndToEndTests(AdminBrowserFixture fixture) : IClassFixture<AdminBrowserFixture>, IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("e2e");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task BackUpVerifyRestore_ThroughThePages_FilesArriveInTheOtherFolder()
    {
        var files = Path.Combine(_dir, "www");
        TestTrees.Write(files, "index.html", "<h1>shop</h1>");
        TestTrees.Write(files, "assets/ünïcode.css", "body { color: teal }");
        await File.WriteAllBytesAsync(Path.Combine(files, "assets", "big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(8 << 20));
        var database = new NpgsqlConnectionStringBuilder(await fixture.Postgres.CreateDatabaseAsync("shop")).Database!;
        var role = "shop_" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Postgres.CreatePasswordRoleAsync(role, ShopDatabases.Password, database);

        await using var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        try
        {
            await SignInAsync(page);
            await AddDestinationAsync(page);
            await AddDomainAsync(page, files, database, role);
            await BackUpVerifyAndRestoreAsync(page);
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-backup-e2e"), FullPage = true });
            throw new TimeoutException(ex.Message + " Browser console: " + string.Join(" | ", console), ex);
        }

        var restored = Path.Combine(_dir, "restored");
        Assert.Equal(TreeSnapshot.Take(files), TreeSnapshot.Take(restored));
    }

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(fixture.App.BaseUrl + "/Account/Login");
        await page.FillAsync("#email", AdminBrowserFixture.Email);
        await page.FillAsync("#password", AdminBrowserFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#bp-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("[data-testid=dashboard-kit-warning]")).ToBeVisibleAsync();
    }

    private async Task AddDestinationAsync(IPage page)
    {
        // The panel never creates a destination folder itself: a missing mount must not fill the root disk.
        Directory.CreateDirectory(Path.Combine(_dir, "dest"));
        await GotoAsync(page, "/destinations");
        await page.ClickAsync("[data-testid=add-destination]");
        await Field(page, "destination-name").FillAsync("Backup disk");
        await Field(page, "destination-path").FillAsync(Path.Combine(_dir, "dest"));
        await page.ClickAsync("[data-testid=save-destination]");
        await Assertions.Expect(page.Locator("[data-testid=destinations-table]")).ToContainTextAsync("Backup disk");
        await page.ClickAsync("[data-testid=test-destination]");
        await Assertions.Expect(page.Locator("[data-testid=destination-test-result]")).ToContainTextAsync("OK");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("10-destinations"), FullPage = true });
    }

    private async Task AddDomainAsync(IPage page, string files, string database, string role)
    {
        await GotoAsync(page, "/domains");
        await page.ClickAsync("[data-testid=add-domain]");
        await Field(page, "domain-name").FillAsync("shop.example.com");
        await Field(page, "domain-files-root").FillAsync(files);
        await page.ClickAsync("[data-testid=add-database]");
        await Field(page, "database-port").FillAsync(fixture.Postgres.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Field(page, "database-name").FillAsync(database);
        await Field(page, "database-user").FillAsync(role);
        await Field(page, "database-password").FillAsync(ShopDatabases.Password);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("11-domain-form"), FullPage = true });
        await page.ClickAsync("[data-testid=save-domain]");
        await Assertions.Expect(page.Locator("[data-testid=domain-title]")).ToHaveTextAsync("shop.example.com");
        await page.ClickAsync("[data-testid=check-domain]");
        await Assertions.Expect(page.Locator("[data-testid=check-results]")).ToContainTextAsync("pg_dump");
    }

    private async Task BackUpVerifyAndRestoreAsync(IPage page)
    {
        await page.ClickAsync("[data-testid=back-up-now]");
        await Assertions.Expect(page.Locator("[data-testid=backup-progress]")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("12-backup-progress"), FullPage = true });
        await Assertions.Expect(page.Locator("[data-testid=backup-progress] [data-testid=backup-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("13-backup-succeeded"), FullPage = true });

        await page.ClickAsync("[data-testid=backup-table] [data-testid=backup-link]");
        await Assertions.Expect(page.Locator("[data-testid=component-table]")).ToContainTextAsync("files.tar.zst.age");
        await page.ClickAsync("[data-testid=verify-backup]");
        await Assertions.Expect(page.Locator("[data-testid=verify-result]")).ToContainTextAsync("OK", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=verify-result]")).ToContainTextAsync("pg_restore reads");

        await page.ClickAsync("[data-testid=restore-backup]");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText(new Regex("^db-postgresql-")).ClickAsync();
        await dialog.GetByText("Somewhere else").ClickAsync();
        await Field(page, "restore-target-directory").FillAsync(Path.Combine(_dir, "restored"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("14-restore-dialog"), FullPage = true });
        await page.ClickAsync("[data-testid=start-restore]");
        await Assertions.Expect(page.Locator("[data-testid=restore-status]").First).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("15-backup-detail-restored"), FullPage = true });

        await GotoAsync(page, "/backups");
        await Assertions.Expect(page.Locator("[data-testid=history-table]")).ToContainTextAsync("shop.example.com");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("16-history"), FullPage = true });
        // The recovery kit: an age identity file; once downloaded, the dashboard stops warning.
        await GotoAsync(page, "/admin/encryption");
        await Assertions.Expect(page.Locator("[data-testid=kit-warning]")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("17-encryption"), FullPage = true });
        // A form POST with the page's antiforgery token; the page stays, the browser saves the file.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download-kit]"));
        Assert.Equal("backuppanel-recovery-kit.txt", download.SuggestedFilename);
        Assert.Contains("AGE-SECRET-KEY-1", await File.ReadAllTextAsync(await download.PathAsync()), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=kit-warning]")).ToHaveCountAsync(0);
        await GotoAsync(page, "/");
        // Backed up by hand only: at risk, and the reason says so with the last good backup.
        await Assertions.Expect(page.Locator("[data-testid=domain-at-risk]")).ToContainTextAsync("No enabled plan backs it up");
        await Assertions.Expect(page.Locator("[data-testid=protection]")).ToContainTextAsync("last good backup");
        Assert.Equal(0, await page.Locator("[data-testid=dashboard-kit-warning]").CountAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("18-dashboard-manual-only"), FullPage = true });
    }

    /// <summary>Opens a page and waits until it is interactive (a click before that would do nothing).</summary>
    private async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(fixture.App.BaseUrl + path);
        await page.Locator("#bp-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>The input behind a MudBlazor field, whether the test id sits on the input or on its wrapper.</summary>
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;
}
