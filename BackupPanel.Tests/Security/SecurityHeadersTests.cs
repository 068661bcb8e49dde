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
    }
}
