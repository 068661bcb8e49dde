using System.Net;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

/// <summary>
/// Every route and endpoint of the panel, with who may open it. A new page or endpoint that is missing here fails
/// <see cref="Table_CoversEveryRouteAndEndpoint"/>, so nothing ships without a decided policy.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class AuthorizationTableTests(AppFixture app)
{
    private enum Access { Anonymous, Viewer, Operator, Admin, Gone }

    private static readonly Dictionary<string, Access> Table = new()
    {
        ["/"] = Access.Viewer,
        ["/admin/users"] = Access.Admin,
        ["/admin/audit"] = Access.Admin,
        ["/hangfire"] = Access.Admin,
        ["/Account/Manage"] = Access.Viewer,
        ["/Account/Manage/ChangePassword"] = Access.Viewer,
        ["/Account/Manage/TwoFactorAuthentication"] = Access.Viewer,
        ["/Account/Manage/EnableAuthenticator"] = Access.Viewer,
        ["/Account/Manage/Disable2fa"] = Access.Viewer,
        ["/Account/Manage/GenerateRecoveryCodes"] = Access.Viewer,
        ["/Account/Login"] = Access.Anonymous,
        ["/Account/LoginWith2fa"] = Access.Anonymous,
        ["/Account/LoginWithRecoveryCode"] = Access.Anonymous,
        ["/Account/Lockout"] = Access.Anonymous,
        ["/Account/AccessDenied"] = Access.Anonymous,
        ["/Account/Logout"] = Access.Anonymous,
        ["/not-found"] = Access.Anonymous,
        ["/Error"] = Access.Anonymous,
        ["/healthz"] = Access.Anonymous,
        ["/readyz"] = Access.Anonymous,
        ["/setup"] = Access.Gone,
        ["/domains"] = Access.Viewer,
        ["/domains/new"] = Access.Operator,
        ["/domains/{Id:guid}"] = Access.Viewer,
        ["/domains/{Id:guid}/edit"] = Access.Operator,
        ["/destinations"] = Access.Viewer,
        ["/plans"] = Access.Viewer,
        ["/plans/new"] = Access.Operator,
        ["/plans/{Id:guid}/edit"] = Access.Operator,
        ["/plans/{Id:guid}/retention"] = Access.Viewer,
        ["/backups"] = Access.Viewer,
        ["/backups/{Id:guid}"] = Access.Viewer,
        ["/admin/encryption"] = Access.Admin,
        ["/admin/notifications"] = Access.Admin,
        ["/admin/security"] = Access.Admin,
        ["/notifications"] = Access.Operator,
        ["/api/backups/{id:guid}/components/{name}"] = Access.Admin, // a component of an unencrypted plan is data in the clear
        ["/api/encryption/recovery-kit"] = Access.Admin,
        ["/restore/bulk"] = Access.Viewer,
        ["/restore/bulk/new"] = Access.Operator,
        ["/restore/bulk/{Id:guid}"] = Access.Viewer,
        ["/import"] = Access.Operator,
        ["/import/{Id:guid}"] = Access.Operator,
        ["/api/imports/upload"] = Access.Operator,
    };

    // What to fetch for routes with parameters (ids that do not exist: pages say so, endpoints answer 404).
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["/domains/{Id:guid}"] = "/domains/6f1c1d2e-0000-4000-8000-000000000001",
        ["/domains/{Id:guid}/edit"] = "/domains/6f1c1d2e-0000-4000-8000-000000000001/edit",
        ["/backups/{Id:guid}"] = "/backups/6f1c1d2e-0000-4000-8000-000000000002",
        ["/plans/{Id:guid}/edit"] = "/plans/6f1c1d2e-0000-4000-8000-000000000003/edit",
        ["/plans/{Id:guid}/retention"] = "/plans/6f1c1d2e-0000-4000-8000-000000000003/retention",
        ["/api/backups/{id:guid}/components/{name}"] = "/api/backups/6f1c1d2e-0000-4000-8000-000000000002/components/files.tar.zst.age",
        ["/restore/bulk/{Id:guid}"] = "/restore/bulk/6f1c1d2e-0000-4000-8000-000000000004",
        ["/import/{Id:guid}"] = "/import/6f1c1d2e-0000-4000-8000-000000000005",
    };

    // Endpoints whose sample id does not exist: a permitted caller reaches the handler and gets 404.
    private static readonly HashSet<string> NotFoundWhenAllowed = ["/api/backups/{id:guid}/components/{name}"];

    // Pages that redirect on a plain GET without the previous step (2FA pages need the password step first).
    private static readonly HashSet<string> RedirectingAnonymousPages = ["/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode"];

    // POST-only endpoints are checked for their policy, not fetched.
    private static readonly HashSet<string> PostOnly = ["/Account/Logout", "/api/imports/upload", "/api/encryption/recovery-kit"];

    [Fact]
    public void Table_CoversEveryRouteAndEndpoint()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(IsOurs)
            .Select(r => r.StartsWith("/hangfire", StringComparison.Ordinal) ? "/hangfire" : r)
            .ToHashSet();
        var missing = routes.Where(r => !Table.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "Routes without an entry in the authorization table: " + string.Join(", ", missing));
        var stale = Table.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Table entries for routes that no longer exist: " + string.Join(", ", stale));
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Table.Keys.Where(r => !PostOnly.Contains(r)))
            foreach (var who in new[] { "anonymous", Roles.Viewer, Roles.Operator, Roles.Admin })
                data.Add(route, who);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Get_RouteAsRole_MatchesTable(string route, string who)
    {
        using var client = app.NewClient();
        if (who != "anonymous")
        {
            var email = await app.CreateUserAsync(who);
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, AppFixture.Password)).StatusCode);
        }
        var response = await client.GetAsync(Samples.GetValueOrDefault(route, route));
        var location = response.Headers.Location?.OriginalString ?? "";
        var expected = Table[route];
        var allowed = expected switch
        {
            Access.Anonymous => true,
            Access.Gone => false,
            Access.Viewer => who != "anonymous",
            Access.Operator => who is Roles.Operator or Roles.Admin,
            _ => who == Roles.Admin,
        };
        if (expected == Access.Gone)
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        else if (allowed && RedirectingAnonymousPages.Contains(route))
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{route} as {who}: {response.StatusCode}");
        else if (allowed && NotFoundWhenAllowed.Contains(route))
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route} as {who}: {(int)response.StatusCode} {location}");
        else if (allowed)
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} as {who}: {(int)response.StatusCode} {location}");
        else if (route.StartsWith("/api/", StringComparison.Ordinal))
            Assert.True(response.StatusCode == (who == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden), $"{route} as {who}: {(int)response.StatusCode}");
        else if (who == "anonymous")
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && location.Contains("/Account/Login", StringComparison.Ordinal), $"{route} anonymous: {(int)response.StatusCode} {location}");
        else
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && location.Contains("/Account/AccessDenied", StringComparison.Ordinal), $"{route} as {who}: {(int)response.StatusCode} {location}");
    }

    [Fact]
    public async Task Post_Logout_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = app.NewClient();
        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData(Roles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Operator, HttpStatusCode.BadRequest)] // allowed, but without the antiforgery header
    public async Task Post_ImportUpload_PolicyAndAntiforgery(string who, HttpStatusCode expected)
    {
        using var client = app.NewClient();
        if (who != "anonymous")
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(await app.CreateUserAsync(who), AppFixture.Password)).StatusCode);
        }

        var response = await client.PostAsync("/api/imports/upload", new ByteArrayContent(new byte[100]));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Contains("reload it and upload again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData(Roles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Operator, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Admin, HttpStatusCode.BadRequest)] // allowed, but without the page's antiforgery token
    public async Task Post_RecoveryKit_WithoutTheToken_GivesNoKey(string who, HttpStatusCode expected)
    {
        using var client = app.NewClient();
        if (who != "anonymous")
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(await app.CreateUserAsync(who), AppFixture.Password)).StatusCode);
        }

        var response = await client.PostAsync("/api/encryption/recovery-kit", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("AGE-SECRET-KEY", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryKit_ByGet_GivesNoKey_ByPostWithThePagesToken_DoesAndIsAudited()
    {
        using var client = app.NewClient();
        var admin = await app.CreateUserAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(admin, AppFixture.Password)).StatusCode);

        // A GET is what an <img src> or a link on any page the Admin opens would send: before, it downloaded the kit.
        var get = await client.GetAsync("/api/encryption/recovery-kit");
        Assert.DoesNotContain("AGE-SECRET-KEY", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await (await client.GetAsync("/admin/encryption")).Content.ReadAsStringAsync();
        var post = await client.PostAsync("/api/encryption/recovery-kit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PanelClient.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("AGE-SECRET-KEY-1", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("keyring.key", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-store", post.Headers.CacheControl?.ToString());
    }

    private static bool IsOurs(string route) =>
        !route.StartsWith("/_", StringComparison.Ordinal) && !Path.HasExtension(route.Split('/').Last())
        && !route.Contains("{**", StringComparison.Ordinal) || route.StartsWith("/hangfire", StringComparison.Ordinal);
}
