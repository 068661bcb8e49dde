using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

// PageBench URL EMAIL PASSWORD RUNS — signs in, then loads the dashboard and the history page RUNS times each in
// Debian's Chromium and prints how long each took until its data was on screen (median and every run, in ms).
if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: PageBench URL EMAIL PASSWORD RUNS");
    return 2;
}

var (url, email, password, runs) = (args[0].TrimEnd('/'), args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
page.SetDefaultTimeout(60_000);
await page.GotoAsync(url + "/Account/Login");
await page.FillAsync("#email", email);
await page.FillAsync("#password", password);
await page.ClickAsync("button[type=submit]");
await page.Locator("#bp-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

// The dashboard: the domains' verdict and the per-day chart drawn. History: the first page of rows and its total.
var pages = new (string Name, string Path, string Ready)[]
{
    ("dashboard", "/", "[data-testid=chart-per-day] svg"),
    ("history", "/backups", ".mud-table-page-number-information:has-text('of 100,000')"),
};
foreach (var (name, path, ready) in pages)
{
    var times = new List<double>();
    for (var run = 0; run <= runs; run++)
    {
        await page.GotoAsync("about:blank");
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(url + path);
        await page.Locator(ready).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        if (run > 0) times.Add(watch.Elapsed.TotalMilliseconds); // the first load warms the server's caches
    }

    var sorted = times.Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name} {sorted[sorted.Count / 2]:0} {string.Join(' ', times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}"));
}

return 0;
