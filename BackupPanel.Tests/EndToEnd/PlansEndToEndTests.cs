using System.Globalization;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;
using static BackupPanel.Tests.EndToEnd.PanelPages;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// The scheduled story in Chromium against the real executable: email set up on its page (a real SMTP server with
/// STARTTLS + AUTH), a Local destination, a domain and a plan every minute made in the editor; Hangfire's recurring job
/// runs it with no click, the success email arrives and the dashboard shows the domain protected. Then the destination
/// breaks: the next run fails, the failure email arrives and the dashboard shows the domain at risk.
/// </summary>
public sealed class PlansEndToEndTests(AdminBrowserFixture fixture) : IClassFixture<AdminBrowserFixture>, IAsyncDisposable
{
    private const string Owner = "owner@planned.test";
    private readonly string _dir = TestPaths.NewTempDir("e2e-plan");
    private readonly SmtpTestServer _smtp = new();

    public async ValueTask DisposeAsync()
    {
        await _smtp.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task PlanEveryMinute_RunsOnItsOwn_EmailsAndTheDashboard_ThenABrokenDestination()
    {
        var files = Path.Combine(_dir, "www");
        TestTrees.Write(files, "index.html", "<h1>planned</h1>");
        var destination = Path.Combine(_dir, "dest");
        Directory.CreateDirectory(destination);
        await using var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await SignInAsync(page, fixture.App);
            await SetUpEmailAsync(page);
            await OpenAddDestinationAsync(page, fixture.App, "Plan disk", null);
            await Field(page, "destination-path").FillAsync(destination);
            await SaveAndTestAsync(page, "Plan disk");

            await GotoAsync(page, fixture.App, "/domains");
            await page.ClickAsync("[data-testid=add-domain]");
            await Field(page, "domain-name").FillAsync("planned.example.com");
            await Field(page, "domain-files-root").FillAsync(files);
            await page.ClickAsync("[data-testid=save-domain]");
            await Assertions.Expect(page.Locator("[data-testid=domain-title]")).ToHaveTextAsync("planned.example.com");

            await MakePlanAsync(page);
            await WaitForTheScheduledBackupAsync(page);

            MimeKit.MimeMessage success;
            try
            {
                success = await _smtp.WaitForAsync(Owner, "Backup succeeded: planned.example.com (Full), plan Every minute", timeoutSeconds: 120);
            }
            catch (TimeoutException ex)
            {
                var output = fixture.App.Output;
                throw new TimeoutException(ex.Message + " The panel's output ends: " + output[Math.Max(0, output.Length - 6000)..], ex);
            }

            Assert.Contains("/backups/", success.TextBody, StringComparison.Ordinal);
            await GotoAsync(page, fixture.App, "/");
            await Assertions.Expect(page.Locator("[data-testid=domain-protected]", new() { HasText = "planned.example.com" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=protection-summary]")).ToHaveTextAsync("All 1 domain protected");
            await Assertions.Expect(page.Locator("[data-testid=upcoming-runs]")).ToContainTextAsync("Every minute");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("24-dashboard-protected"), FullPage = true });

            // The destination breaks: its folder is replaced by a file, so the next minute's run cannot write.
            Directory.Delete(destination, recursive: true);
            await File.WriteAllTextAsync(destination, "not a folder any more");
            var failure = await _smtp.WaitForAsync(AdminBrowserFixture.Email, "Backup failed: planned.example.com (Full), plan Every minute", timeoutSeconds: 150);
            Assert.Contains("Error: ", failure.TextBody, StringComparison.Ordinal);
            await GotoAsync(page, fixture.App, "/");
            var atRisk = page.Locator("[data-testid=domain-at-risk]", new() { HasText = "planned.example.com" });
            await Assertions.Expect(atRisk).ToContainTextAsync("The latest run failed");
            await Assertions.Expect(page.Locator("[data-testid=protection-summary]")).ToHaveTextAsync("1 of 1 domain at risk");
            await Assertions.Expect(page.Locator("[data-testid=recent-problems]")).ToContainTextAsync("planned.example.com");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("25-dashboard-at-risk"), FullPage = true });

            await GotoAsync(page, fixture.App, "/notifications");
            await Assertions.Expect(page.Locator("[data-testid=notification-log]")).ToContainTextAsync("Backup failed: planned.example.com");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("26-notification-log"), FullPage = true });
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-plan-e2e"), FullPage = true });
            throw;
        }
    }

    private async Task SetUpEmailAsync(IPage page)
    {
        await GotoAsync(page, fixture.App, "/admin/notifications");
        await Field(page, "smtp-host").FillAsync("127.0.0.1");
        await Field(page, "smtp-port").FillAsync(_smtp.Port.ToString(CultureInfo.InvariantCulture));
        await Field(page, "smtp-user").FillAsync(SmtpTestServer.User);
        await Field(page, "smtp-password").FillAsync("Wrong-password-123");
        await Field(page, "smtp-from").FillAsync("backups@panel.test");
        await Field(page, "smtp-pin").FillAsync(FtpSettings.FingerprintOf(SmtpTestServer.Certificate));
        await Field(page, "admin-emails").FillAsync(AdminBrowserFixture.Email);
        await page.ClickAsync("[data-testid=send-test]");
        await Assertions.Expect(page.Locator("[data-testid=test-result]")).ToContainTextAsync("refused the user name or password");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("19-notifications-wrong-password"), FullPage = true });

        await Field(page, "smtp-password").FillAsync(SmtpTestServer.Password);
        await page.ClickAsync("[data-testid=send-test]");
        await Assertions.Expect(page.Locator("[data-testid=test-result]")).ToContainTextAsync("Sent to " + AdminBrowserFixture.Email);
        await _smtp.WaitForAsync(AdminBrowserFixture.Email, "[BackupPanel] Test message");
        await page.ClickAsync("[data-testid=save-notifications]");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Notification settings saved.");
        await Assertions.Expect(Field(page, "smtp-password")).ToHaveAttributeAsync("placeholder", "Stored: leave empty to keep it");
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

        await Field(page, "plan-notify-emails").FillAsync(Owner);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Backup succeeded" }).CheckAsync();
        await page.EvaluateAsync("window.scrollTo(0, 0)"); // a full-page screenshot of a scrolled page paints the fixed bar mid-page
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
