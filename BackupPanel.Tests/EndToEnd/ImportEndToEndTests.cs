using BackupPanel.Core.Destinations;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Import;
using BackupPanel.Tests.Infrastructure;
using BackupPanel.Tests.Restore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// Migration day in Chromium (with an archive no other test imports: the app's database is shared): upload a cPanel archive, read its preview, import it, find the domain with its one
/// imported backup, then bulk-restore it with two other domains into another folder and read the summary.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ImportEndToEndTests(AppFixture app, ChromiumFixture chromium, MariaDbFixture maria)
    : IClassFixture<ChromiumFixture>, IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly BulkBed _b = new(app);
    private readonly ImportBed _i = new(app, maria);

    public void Dispose()
    {
        _b.Dispose();
        _i.Dispose();
    }

    [Fact]
    public async Task UploadPreviewImport_ThenBulkRestoreWithTwoOthers_SummaryAndTreesArrive()
    {
        var others = new[] { await _b.DomainWithBackupAsync("north"), await _b.DomainWithBackupAsync("south") };
        var archive = Path.Combine(await _i.FixturesAsync(), "cpanel/cpmove-dave.tar.gz");
        var mysql = await _i.MySqlServerAsync();
        var restored = Path.Combine(_b.Bed.Dir, "restored");
        var email = await app.CreateUserAsync(Roles.Admin); // the suite's database accounts are privileged: only an Admin may allow them
        await using var context = await CspCheckedContext.NewAsync(chromium.Browser, new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await PanelPages.SignInAsync(page, app.BaseUrl, email, AppFixture.Password);
            await PanelPages.GotoAsync(page, app.BaseUrl, "/import");
            await page.SetInputFilesAsync("[data-testid=import-file]", archive);
            await page.ClickAsync("[data-testid=import-upload]");

            await Assertions.Expect(page.Locator("[data-testid=import-domains]")).ToContainTextAsync("dave-deli.test", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("[data-testid=import-format]")).ToContainTextAsync("cPanel");
            await Assertions.Expect(page.Locator("[data-testid=import-warnings]")).ToContainTextAsync("MySQL 8 refuses");
            var destination = (await app.Services.GetRequiredService<DestinationService>().ListAsync(default)).Single(d => d.Id == _b.Bed.DestinationId);
            await page.ClickAsync("[data-testid=import-destination]");
            await PanelPages.ChooseAsync(page, destination.Name);
            await PanelPages.Field(page, "import-files-root").FillAsync(Path.Combine(_i.Root, "{domain}", "www"));
            await PanelPages.Field(page, "import-mail-root").FillAsync(Path.Combine(_i.Root, "{domain}", "mail"));
            await PanelPages.Field(page, "import-MySql-port").FillAsync(mysql.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await PanelPages.Field(page, "import-MySql-user").FillAsync(mysql.User);
            await PanelPages.Field(page, "import-MySql-password").FillAsync(mysql.Password!);
            await PanelPages.Field(page, "import-PostgreSql-port").FillAsync(app.Postgres.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await PanelPages.Field(page, "import-PostgreSql-user").FillAsync("postgres");
            await page.ClickAsync("[data-testid=import-allow-privileged]");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("50-import-preview"), FullPage = true });
            await page.ClickAsync("[data-testid=import-start]");

            await Assertions.Expect(page.Locator("[data-testid=import-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("[data-testid=import-results]")).ToContainTextAsync("created");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("51-import-done"), FullPage = true });

            // The domain is there with exactly one backup: the imported one.
            var domain = (await _b.Bed.Domains.ListAsync(default)).Single(d => d.Name == "dave-deli.test");
            await PanelPages.GotoAsync(page, app.BaseUrl, $"/backups?domain={domain.Id}");
            await Assertions.Expect(page.Locator("[data-testid=history-table] [data-testid=backup-link]")).ToHaveCountAsync(1);

            // Bulk restore of the latest backup of it and of two other domains, into another folder.
            await PanelPages.GotoAsync(page, app.BaseUrl, "/restore/bulk/new");
            await page.ClickAsync("[data-testid=bulk-domains]");
            foreach (var name in new[] { "dave-deli.test", others[0].Domain.Name, others[1].Domain.Name })
            {
                await PanelPages.ChooseAsync(page, name);
            }

            await page.Keyboard.PressAsync("Escape");
            await page.ClickAsync("[data-testid=bulk-elsewhere]");
            await PanelPages.Field(page, "bulk-root").FillAsync(restored);
            await PanelPages.Field(page, "bulk-suffix").FillAsync("_copy");
            await page.ClickAsync("[data-testid=bulk-check]");
            await Assertions.Expect(page.Locator("[data-testid=bulk-preflight-verdict]")).ToContainTextAsync("0 with errors", new() { Timeout = 60_000 });
            await page.ClickAsync("[data-testid=bulk-start]");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=bulk-status]")).ToHaveTextAsync("Finished", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("[data-testid=bulk-succeeded]")).ToContainTextAsync("3");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("52-import-bulk-summary"), FullPage = true });
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-import-e2e"), FullPage = true });
            throw;
        }

        Assert.True(File.Exists(Path.Combine(restored, "dave-deli.test", "files", "public_html", "index.html")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(restored, "dave-deli.test", "mail", "info", "cur")).Length);
        Assert.Equal(25, await ImportBed.MySqlCountAsync(mysql, "dave_shop_copy", "orders"));
        Assert.Equal(30, await _i.PostgresCountAsync("dave_pg_copy", "products"));
        foreach (var (domain, _) in others)
        {
            BulkBed.AssertSameTrees(domain, restored);
        }
    }
}
