using System.Globalization;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>Steps through the panel's pages shared by the end-to-end tests (sign in, open a page, fill destination forms).</summary>
public static class PanelPages
{
    public static Task SignInAsync(IPage page, AppProcess app) => SignInAsync(page, app.BaseUrl, AdminBrowserFixture.Email, AdminBrowserFixture.Password);

    public static async Task SignInAsync(IPage page, string baseUrl, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(baseUrl + "/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#bp-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>Opens a page and waits until it is interactive (a click before that would do nothing).</summary>
    public static Task GotoAsync(IPage page, AppProcess app, string path) => GotoAsync(page, app.BaseUrl, path);

    public static async Task GotoAsync(IPage page, string baseUrl, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(baseUrl + path);
        await page.Locator("#bp-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>The input behind a MudBlazor field, whether the test id sits on the input or on its wrapper.</summary>
    public static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    /// <summary>Picks an item of an open MudSelect by its text.</summary>
    public static Task ChooseAsync(IPage page, string text) => page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text }).ClickAsync();

    public static async Task OpenAddDestinationAsync(IPage page, AppProcess app, string name, string? kind)
    {
        await GotoAsync(page, app, "/destinations");
        await page.ClickAsync("[data-testid=add-destination]");
        await Field(page, "destination-name").FillAsync(name);
        if (kind is null) return;
        await page.ClickAsync("[data-testid=destination-kind]");
        await ChooseAsync(page, kind);
    }

    /// <summary>Fills the SFTP form with password login, fetches the host key, checks it and pins it.</summary>
    public static async Task FillSftpAsync(IPage page, SshdFixture sshd, string folder)
    {
        await Field(page, "destination-host").FillAsync("127.0.0.1");
        await Field(page, "destination-port").FillAsync(sshd.Port.ToString(CultureInfo.InvariantCulture));
        await Field(page, "destination-user").FillAsync(SshdFixture.User);
        await Field(page, "destination-password").FillAsync(SshdFixture.Password);
        await Field(page, "destination-path").FillAsync(folder);
        await page.ClickAsync("[data-testid=fetch-host-key]");
        await Assertions.Expect(page.Locator("[data-testid=host-key-seen]")).ToHaveTextAsync(sshd.HostKey);
        await page.ClickAsync("[data-testid=confirm-host-key]");
    }

    public static async Task FillS3Async(IPage page, S3rverFixture s3, string bucket, string secret)
    {
        await Field(page, "destination-service-url").FillAsync(s3.ServiceUrl);
        await Field(page, "destination-bucket").FillAsync(bucket);
        await Field(page, "destination-path").FillAsync("panel");
        await page.ClickAsync("[data-testid=destination-path-style]");
        await Field(page, "destination-access-key").FillAsync(S3rverFixture.AccessKey);
        await Field(page, "destination-secret-key").FillAsync(secret);
    }

    /// <summary>Saves the open destination form and runs Test on the new row; returns the row.</summary>
    public static async Task<ILocator> SaveAndTestAsync(IPage page, string name)
    {
        await page.ClickAsync("[data-testid=save-destination]");
        var row = page.Locator("[data-testid=destinations-table] tr", new() { HasText = name });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await row.Locator("[data-testid=test-destination]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=destination-test-result]")).ToContainTextAsync("OK");
        return row;
    }
}
