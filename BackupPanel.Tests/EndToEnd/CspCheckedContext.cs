using Microsoft.Playwright;

namespace BackupPanel.Tests.EndToEnd;

/// <summary>
/// A browser context whose pages report every Content-Security-Policy violation (the browser's console says
/// "Content Security Policy" and a <c>securitypolicyviolation</c> event fires); disposing it fails the test when any
/// occurred, so every end-to-end test runs under the panel's policy and proves it.
/// </summary>
public sealed class CspCheckedContext : IAsyncDisposable
{
    private readonly List<string> _violations = [];

    private CspCheckedContext(IBrowserContext context) => Context = context;

    public IBrowserContext Context { get; }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations) return [.. _violations];
        }
    }

    public static async Task<CspCheckedContext> NewAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var checkedContext = new CspCheckedContext(await browser.NewContextAsync(options));
        checkedContext.Context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) checkedContext.Add(message.Text);
        };
        await checkedContext.Context.ExposeFunctionAsync("__bpCspViolation", (string text) => checkedContext.Add(text));
        await checkedContext.Context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.__bpCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        return checkedContext;
    }

    public Task<IPage> NewPageAsync() => Context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        var violations = Violations;
        Assert.True(violations.Count == 0, "Content-Security-Policy violations: " + string.Join(" | ", violations));
    }

    private void Add(string text)
    {
        lock (_violations) _violations.Add(text);
    }
}
