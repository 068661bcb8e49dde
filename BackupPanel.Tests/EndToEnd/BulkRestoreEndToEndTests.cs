using BackupPanel.Core.Security;
using BackupPanel.Tests.Infrastructure;
using BackupPanel.Tests.Restore;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>Bulk restore through the pages in Chromium: pick backups in the history, check, read the preflight, start, read the summary.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class BulkRestoreEndToEndTests(AppFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly BulkBed _b = new(app);

    public void Dispose() => _b.Dispose();

    [Fact]
    public async Task BulkRestore_FromTheHistory_PreflightThenSummaryAndTheTreesArrive()
    {
        var sites = new[] { await _b.DomainWithBackupAsync("alpha"), await _b.DomainWithBackupAsync("bravo"), await _b.DomainWithBackupAsync("charlie") };
        var root = Path.Combine(_b.Bed.Dir, "restored");
        var email = await app.CreateUserAsync(Roles.Operator);
        await using var context = await CspCheckedContext.NewAsync(chromium.Browser, new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await PanelPages.SignInAsync(page, app.BaseUrl, email, AppFixture.Password);
            await PanelPages.GotoAsync(page, app.BaseUrl, "/backups");
            foreach (var (domain, _) in sites)
            {
                await page.Locator("[data-testid=history-table] tr", new() { HasText = domain.Name }).Locator("input[type=checkbox]").CheckAsync();
            }

            await Assertions.Expect(page.Locator("[data-testid=history-bulk-restore]")).ToContainTextAsync("3 selected");
            await page.ClickAsync("[data-testid=history-bulk-restore]");
            await Assertions.Expect(page.Locator("[data-testid=bulk-chosen-backups] tr")).ToHaveCountAsync(3);
            await page.ClickAsync("[data-testid=bulk-elsewhere]");
            await PanelPages.Field(page, "bulk-root").FillAsync(root);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("40-bulk-new"), FullPage = true });
            await page.ClickAsync("[data-testid=bulk-check]");

            await Assertions.Expect(page.Locator("[data-testid=bulk-preflight-verdict]")).ToContainTextAsync("3 ok", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("[data-testid=bulk-item-report]").First).ToContainTextAsync("will be created");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("41-bulk-preflight"), FullPage = true });
            await page.ClickAsync("[data-testid=bulk-start]");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();

            await Assertions.Expect(page.Locator("[data-testid=bulk-status]")).ToHaveTextAsync("Finished", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("[data-testid=bulk-succeeded]")).ToContainTextAsync("3");
            await Assertions.Expect(page.Locator("[data-testid=bulk-item-status]", new() { HasText = "Succeeded" })).ToHaveCountAsync(3);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("42-bulk-summary"), FullPage = true });
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-bulk-e2e"), FullPage = true });
            throw;
        }

        foreach (var (domain, _) in sites)
        {
            BulkBed.AssertSameTrees(domain, root);
        }
    }
}
