using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

/// <summary>
/// Behind a TLS-terminating proxy: from a known proxy, X-Forwarded-For names the client in the audit log and
/// X-Forwarded-Proto https makes the cookies Secure (found: every entry said 127.0.0.1 and no cookie was Secure).
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ProxyTests(AppFixture app)
{
    [Fact]
    public async Task FromAKnownProxy_TheClientsAddressIsAudited_AndCookiesAreSecureOverHttps()
    {
        var email = await app.CreateUserAsync(Roles.Viewer); // the panel is set up: the sign-in page, not /setup
        using var raw = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var plain = CookieLines(await raw.GetAsync("/Account/Login"));
        Assert.NotEmpty(plain);
        Assert.All(plain, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var cookies = CookieLines(await raw.SendAsync(request));
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        using var client = app.NewClient();
        client.Headers.Add("X-Forwarded-For", "203.0.113.7");
        await client.SignInAsync(email, AppFixture.Password);
        var entries = (await app.Services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(Text: email, Take: 50))).Items;
        Assert.Contains(entries, e => e.Action == AuditActions.SignIn && e.ClientAddress == "203.0.113.7");
    }

    private static List<string> CookieLines(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
}

/// <summary>From anyone but a configured proxy the forwarded headers are ignored: a client cannot pose as another address.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class UntrustedProxyTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ForwardedHeaders_FromAnAddressNotListed_AreIgnored()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackupPanel"] = await postgres.CreateDatabaseAsync("proxy"),
            ["BackupPanel__KnownProxies__0"] = "192.0.2.1",
            ["BACKUPPANEL_ADMIN_EMAIL"] = "proxy.admin@example.test",
            ["BACKUPPANEL_ADMIN_PASSWORD"] = "a-long-admin-password",
        });
        Assert.True(await app.WaitReadyAsync(), app.Output);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, app.BaseUrl + "/Account/Login");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await http.SendAsync(request);

        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), "the sign-in page set no cookie");
        Assert.All(cookies, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
