using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class FirstRunEndToEndTests(BrowserFixture fixture)
{
    private const string Email = "first.admin@example.test";
    private const string Password = "a-long-first-password";

    [Fact]
    public async Task FirstRun_SetupSignInDashboardDarkModeSignOut_Works()
    {
        await using var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        page.SetDefaultTimeout(20_000);
        try
        {
            await RunFirstRunAsync(page);
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            throw new TimeoutException(ex.Message + " Browser console: " + string.Join(" | ", console), ex);
        }
    }

    private async Task RunFirstRunAsync(IPage page)
    {

        // Any page sends a fresh panel to the one-time setup, which creates nobody without the link the panel printed
        // at start (found: the first visitor — any local user — became Admin, that is root).
        await page.GotoAsync(fixture.App.BaseUrl + "/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/setup$"));
        await Assertions.Expect(page.Locator("[data-testid=setup-needs-link]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#email")).ToHaveCountAsync(0);
        await page.GotoAsync(fixture.App.BaseUrl + "/setup?token=not-the-token");
        await Assertions.Expect(page.Locator("[data-testid=setup-needs-link]")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("00-setup-needs-link"), FullPage = true });
        string? link = null;
        await Poll.UntilAsync(() => Task.FromResult((link = System.Text.RegularExpressions.Regex.Match(fixture.App.Output, @"/setup\?token=[A-Za-z0-9_-]+").Value).Length > 0),
            "the setup link in the panel's output", 30);
        await page.GotoAsync(fixture.App.BaseUrl + link);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("01-setup"), FullPage = true });
        await page.FillAsync("#email", Email);
        await page.FillAsync("#password", "short");
        await page.FillAsync("#confirm", "short");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByText("Use at least 12 characters.")).ToBeVisibleAsync();
        await page.FillAsync("#password", Password);
        await page.FillAsync("#confirm", Password);
        await page.ClickAsync("button[type=submit]");

        // Setup signs the new Admin in and lands on the dashboard.
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=status-database]")).ToContainTextAsync("OK");

        // Sign out, then sign in through the sign-in page.
        await SignOutAsync(page);
        await page.FillAsync("#email", Email);
        await page.FillAsync("#password", "wrong-password-entered");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByText("Invalid sign-in attempt")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("02-sign-in-error"), FullPage = true });
        await page.FillAsync("#email", Email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=status-jobs]")).ToContainTextAsync("running");
        await Assertions.Expect(page.GetByText("Users")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("03-dashboard-light"), FullPage = true });

        // Dark mode toggles and is remembered for this user across a reload.
        await page.ClickAsync("[data-testid=dark-toggle]");
        await Assertions.Expect(page.Locator("#bp-ready")).ToHaveAttributeAsync("data-dark", "true");
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#bp-ready")).ToHaveAttributeAsync("data-dark", "true");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("04-dashboard-dark"), FullPage = true });
        await page.ClickAsync("[data-testid=dark-toggle]");
        await Assertions.Expect(page.Locator("#bp-ready")).ToHaveAttributeAsync("data-dark", "false");

        // The setup page is gone now, with the right link too.
        var setup = await page.APIRequest.GetAsync(fixture.App.BaseUrl + "/setup");
        Assert.Equal(404, setup.Status);
        Assert.Equal(404, (await page.APIRequest.GetAsync(fixture.App.BaseUrl + link)).Status);

        await SignOutAsync(page);
        await page.GotoAsync(fixture.App.BaseUrl + "/admin/users");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    }

    [Fact]
    public async Task SignInPage_PhoneWidth_FitsWithoutHorizontalScroll()
    {
        await using var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions { ViewportSize = new() { Width = 375, Height = 740 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.App.BaseUrl + "/Account/Login");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("05-phone-sign-in"), FullPage = true });
        Assert.False(overflow);
    }

    [Fact]
    public async Task FramedByAnotherPage_ThePanelDoesNotRender()
    {
        // Found: no framing headers, so a tenant's page on the same host could lay the panel under a decoy (clickjacking).
        await using var context = await fixture.Browser.NewContextAsync(); // the violation is expected here: not a CspCheckedContext
        var page = await context.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, m) => refused.Add(m.Text);
        await page.SetContentAsync($"<h1>A tenant's page</h1><iframe id=panel src=\"{fixture.App.BaseUrl}/Account/Login\" width=800 height=600></iframe>");
        var frame = await (await page.QuerySelectorAsync("#panel"))!.ContentFrameAsync();
        await Assertions.Expect(page.Locator("#panel")).ToBeAttachedAsync();
        Assert.True(await WaitUntilAsync(() => refused.Any(t => t.Contains("frame-ancestors", StringComparison.Ordinal) || t.Contains("X-Frame-Options", StringComparison.Ordinal))),
            "Chromium did not report the refusal: " + string.Join(" | ", refused));
        Assert.Equal(0, await page.FrameLocator("#panel").Locator("input, form, button").CountAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("06-framed-panel-refused") });
        Assert.NotNull(frame);
    }

    [Fact]
    public async Task InlineScriptInjectedIntoAPanelPage_IsBlocked_AndTheCheckedContextFailsTheTest()
    {
        // What an injected <script> (a stored XSS) would meet; and proof that CspCheckedContext notices violations.
        var context = await CspCheckedContext.NewAsync(fixture.Browser, new BrowserNewContextOptions());
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.App.BaseUrl + "/Account/Login");
        await Assert.ThrowsAnyAsync<PlaywrightException>(() => page.AddScriptTagAsync(new() { Content = "window.injected = true;" }));
        Assert.False(await page.EvaluateAsync<bool>("window.injected === true"));
        Assert.True(await WaitUntilAsync(() => context.Violations.Count > 0), "no violation recorded");
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(async () => await context.DisposeAsync());
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await tick.WaitForNextTickAsync();
        return condition();
    }

    private static async Task WaitInteractiveAsync(IPage page)
    {
        try
        {
            await page.Locator("#bp-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            // Keep what the browser showed, for the person reading the failure.
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Screenshot("failure-not-interactive"), FullPage = true });
            throw;
        }
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.ClickAsync("[data-testid=sign-out]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    }
}
