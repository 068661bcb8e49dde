using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// A service's errors on the real pages in Chromium: each shows under the input it is about (or as an alert where
/// there is no input), and an input's error goes as soon as it is changed. Screenshots 60–64.
/// </summary>
public sealed class FormErrorsEndToEndTests(AdminBrowserFixture fixture) : IClassFixture<AdminBrowserFixture>
{
    [Fact]
    public async Task Forms_WrongInput_ErrorsAtTheirInputsAndGoneWhenChanged()
    {
        await using var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await PanelPages.SignInAsync(page, fixture.App);
            await DestinationDialogAsync(page);
            await DomainFormAsync(page);
            await PlanFormAsync(page);
            await NotificationSettingsAsync(page);
            await AllowedRootsAsync(page);
            // The jobs dashboard and the audit log render under the same policy too (the context fails on a violation).
            await page.GotoAsync(fixture.App.BaseUrl + "/hangfire");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Jobs");
            await page.GotoAsync(fixture.App.BaseUrl + "/admin/audit");
            await Assertions.Expect(page.Locator("[data-testid=audit-chain]")).ToContainTextAsync("Chain intact since");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("30-audit-log-chain"), FullPage = false });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-form-errors"), FullPage = true });
            throw;
        }
    }

    private async Task DestinationDialogAsync(IPage page)
    {
        await PanelPages.OpenAddDestinationAsync(page, fixture.App, "Form errors SFTP", "SFTP (SSH)");
        await PanelPages.Field(page, "destination-host").FillAsync("sftp://backup.example.test");
        await page.ClickAsync("[data-testid=save-destination]");

        await Assertions.Expect(ErrorAt(page, "destination-host")).ToContainTextAsync("Enter the server's host name");
        await Assertions.Expect(ErrorAt(page, "destination-user")).ToContainTextAsync("Enter the user name");
        await Assertions.Expect(ErrorAt(page, "destination-password")).ToContainTextAsync("Enter a password or a private key");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("60-destination-errors"), FullPage = true });

        await PanelPages.Field(page, "destination-host").FillAsync("backup.example.test");
        await PanelPages.Field(page, "destination-host").BlurAsync();
        await Assertions.Expect(ErrorAt(page, "destination-host")).ToHaveCountAsync(0);
        await Assertions.Expect(ErrorAt(page, "destination-user")).ToContainTextAsync("Enter the user name");
        await page.Keyboard.PressAsync("Escape");
    }

    private async Task DomainFormAsync(IPage page)
    {
        await PanelPages.GotoAsync(page, fixture.App, "/domains/new");
        await PanelPages.Field(page, "domain-name").FillAsync("not a domain!");
        await PanelPages.Field(page, "domain-files-root").FillAsync("relative/www");
        await page.ClickAsync("[data-testid=add-database]");
        await PanelPages.Field(page, "database-port").FillAsync("");
        await page.ClickAsync("[data-testid=save-domain]");

        await Assertions.Expect(ErrorAt(page, "domain-name")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(ErrorAt(page, "domain-files-root")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=database-row] .mud-input-error").First).ToBeVisibleAsync(); // Databases[0].… at the row's input
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("61-domain-errors"), FullPage = true });

        // A root the allowed roots forbid, whatever the lists say: refused at its field, nothing saved.
        await PanelPages.Field(page, "domain-name").FillAsync($"forbidden-{Guid.NewGuid():N}"[..20] + ".test");
        await PanelPages.Field(page, "domain-files-root").FillAsync("/etc/nginx/site");
        await page.GetByText("Remove database").ClickAsync(); // the half-filled database
        await page.ClickAsync("[data-testid=save-domain]");
        await Assertions.Expect(ErrorAt(page, "domain-files-root")).ToContainTextAsync("/etc/nginx/site is never allowed");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/domains/new$"));
    }

    private async Task PlanFormAsync(IPage page)
    {
        await PanelPages.GotoAsync(page, fixture.App, "/plans/new");
        await PanelPages.Field(page, "plan-name").FillAsync("");
        await page.ClickAsync("[data-testid=save-plan]");

        await Assertions.Expect(ErrorAt(page, "plan-name")).ToContainTextAsync("Give the plan a name");
        await Assertions.Expect(page.GetByText("Choose at least one domain.")).ToBeVisibleAsync(); // no input of its own: an alert
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("62-plan-errors"), FullPage = true });
    }

    private async Task NotificationSettingsAsync(IPage page)
    {
        await PanelPages.GotoAsync(page, fixture.App, "/admin/notifications");
        await PanelPages.Field(page, "admin-emails").FillAsync("not an address");
        await page.ClickAsync("[data-testid=save-notifications]");

        await Assertions.Expect(ErrorAt(page, "admin-emails")).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("63-notification-errors"), FullPage = true });
    }

    private async Task AllowedRootsAsync(IPage page)
    {
        await PanelPages.GotoAsync(page, fixture.App, "/admin/security");
        await Assertions.Expect(PanelPages.Field(page, "data-roots")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/var/www"));
        await PanelPages.Field(page, "data-roots").FillAsync("/home\n/var/www\n/srv\n/etc");
        await page.ClickAsync("[data-testid=save-roots]");

        await Assertions.Expect(ErrorAt(page, "data-roots")).ToContainTextAsync("/etc can never be allowed");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("64-allowed-roots-errors"), FullPage = true });
    }

    /// <summary>The error MudBlazor shows under the input with this test id (none while the input is fine).</summary>
    private static ILocator ErrorAt(IPage page, string testId) =>
        page.Locator(".mud-input-control", new() { Has = page.Locator($"[data-testid={testId}]") }).Locator(".mud-input-helper-text.mud-input-error");
}
