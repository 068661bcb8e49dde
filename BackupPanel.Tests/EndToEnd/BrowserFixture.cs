using BackupPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// The built panel as its own process on a fresh, empty database (so first-run setup shows), and Debian's Chromium
/// driven by Playwright's bundled driver (no browser download).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    /// <summary>The PostgreSQL server the panel's database lives on (tests may add databases to it).</summary>
    public PostgresFixture Postgres => _postgres;

    public AppProcess App { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__BackupPanel"] = await _postgres.CreateDatabaseAsync("e2e") };
        foreach (var (key, value) in ExtraEnvironment()) environment[key] = value;
        App = AppProcess.Start(environment);
        if (!await App.WaitReadyAsync()) throw new InvalidOperationException("The panel did not start: " + App.Output);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(Playwright);
    }

    /// <summary>More settings for the panel process.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraEnvironment() => new Dictionary<string, string>();

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>Debian's Chromium, headless, with nothing that talks to the internet.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"],
    });

    public static string Screenshot(string name) => Path.Combine(TestPaths.Artifacts, name + ".png");
}

[CollectionDefinition(Name)]
public sealed class BrowserCollectionDefinition : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
