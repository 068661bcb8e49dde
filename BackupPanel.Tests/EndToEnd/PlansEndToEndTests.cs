using BackupPanel.Tests.Backups.Archiving;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;
using static BackupPanel.Tests.EndToEnd.PanelPages;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// A plan made in Chromium runs by itself: a Local destination, a domain, a plan every minute; Hangfire's recurring
/// job starts it and the backup reaches Succeeded without anyone pressing a button.
/// </summary>
public sealed class PlansEndToEndTests(AdminBrowserFixture fixture) : IClassFixture<AdminBrowserFixture>, IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("e2e-plan");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PlanEveryMinute_MadeInTheEditor_RunsOnItsOwn()
    {
        var files = Path.Combine(_dir, "www");
        TestTrees.Write(files, "index.html", "<h1>planned</h1>");
        Directory.CreateDirectory(Path.Combine(_dir, "dest"));
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await SignInAsync(page, fixture.App);
            await OpenAddDestinationAsync(page, fixture.App, "Plan disk", null);
            await Field(page, "destination-path").FillAsync(Path.Combine(_dir, "dest"));
            await SaveAndTestAsync(page, "Plan disk");

            await GotoAsync(page, fixture.App, "/domains");
            await page.ClickAsync("[data-testid=add-domain]");
            await Field(page, "domain-name").FillAsync("planned.example.com");
            await Field(page, "domain-files-root").FillAsync(files);
            await page.ClickAsync("[data-testid=save-domain]");
            await Assertions.Expect(page.Locator("[data-testid=domain-title]")).ToHaveTextAsync("planned.example.com");

            await MakePlanAsync(page);
            await WaitForTheScheduledBackupAsync(page);
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-plan-e2e"), FullPage = true });
            throw;
        }
    }

    private static async Task MakePlanAsync(IPage page)
    {
        await page.ClickAsync("nav >> text=Plans");
        await page.ClickAsync("[data-testid=add-plan]");
        await Field(page, "plan-name").FillAsync("Every minute");
        await page.ClickAsync("[data-testid=schedule-kind]");
        await ChooseAsync(page, "Cron expression");
        await Field(page, "schedule-cron").FillAsync("* * * * *");
        await Assertions.Expect(page.Locator("[data-testid=schedule-preview]")).ToContainTextAsync("On the cron schedule \"* * * * *\"");
        await page.ClickAsync("[data-testid=plan-domains]");
        await ChooseAsync(page, "planned.example.com");
        await page.Keyboard.PressAsync("Escape");
        var destination = page.GetByRole(AriaRole.Checkbox, new() { Name = "Plan disk" });
        if (!await destination.IsCheckedAsync())
        {
            await destination.CheckAsync();
        }

        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("20-plan-form"), FullPage = true });
        await page.ClickAsync("[data-testid=save-plan]");
        await Assertions.Expect(page.Locator("[data-testid=plans-table]")).ToContainTextAsync("Every minute");
        await Assertions.Expect(page.Locator("[data-testid=plans-table]")).ToContainTextAsync("planned.example.com");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("21-plans"), FullPage = true });
    }

    private async Task WaitForTheScheduledBackupAsync(IPage page)
    {
        // No one presses Back up now: the recurring job fires at the next minute and the backup runs.
        await Poll.UntilAsync(async () =>
        {
            await GotoAsync(page, fixture.App, "/backups");
            var row = page.Locator("[data-testid=history-table] tr", new() { HasText = "planned.example.com" });
            return await row.CountAsync() > 0 && (await row.First.TextContentAsync() ?? "").Contains("Succeeded", StringComparison.Ordinal);
        }, "the plan's scheduled backup to succeed", timeoutSeconds: 180, intervalMs: 2000);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("22-history-planned"), FullPage = true });

        // The retention preview lists the plan's stored copies with the reason each is kept.
        await GotoAsync(page, fixture.App, "/plans");
        await page.ClickAsync("[data-testid=retention-preview]");
        await Assertions.Expect(page.Locator("[data-testid=retention-table]")).ToContainTextAsync("the newest backup");
        await Assertions.Expect(page.Locator("[data-testid=retention-table]")).ToContainTextAsync("Kept");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("23-retention-preview"), FullPage = true });
    }
}
