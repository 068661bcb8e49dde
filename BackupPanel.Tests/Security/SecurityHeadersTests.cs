using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Security;

/// <summary>Every answer of the panel — pages, sign-in, APIs, health, static files, errors — forbids framing and sniffing.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class SecurityHeadersTests(AppFixture app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/api/backups/6f1c1d2e-0000-4000-8000-000000000002/components/x")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/favicon.svg")]
    [InlineData("/no-such-page")]
    public async Task EveryResponse_ForbidsFramingAndSniffing(string path)
    {
        // Found: no header at all, so a tenant's page on the same host could frame the panel (clickjacking).
        using var client = app.NewClient();

        using var response = await client.GetAsync(path);

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'self'", policy, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[0-9a-f]{32}';", policy);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal); // no outside origin
    }

    [Fact]
    public async Task Page_ImportMapCarriesThisResponsesNonce_AndEachResponseHasItsOwn()
    {
        await app.CreateUserAsync(BackupPanel.Core.Security.Roles.Viewer); // past first-run setup
        using var client = app.NewClient();
        using var first = await client.GetAsync("/Account/Login");
        using var second = await client.GetAsync("/Account/Login");
        var nonce = System.Text.RegularExpressions.Regex.Match(Assert.Single(first.Headers.GetValues("Content-Security-Policy")), "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain($"'nonce-{nonce}'", Assert.Single(second.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
