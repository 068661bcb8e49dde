using System.Net;
using System.Text.RegularExpressions;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Security.TwoFactor;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace BackupPanel.Tests.Security;

[Collection(AppCollectionDefinition.Name)]
public sealed partial class SignInTests(AppFixture app)
{
    private AuditService Audit => app.Services.GetRequiredService<AuditService>();

    [Fact]
    public async Task SignIn_RightPassword_RedirectsAndAuditsSuccess()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        using var client = app.NewClient();
        var response = await client.SignInAsync(email, AppFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var entries = await EntriesForAsync(email);
        Assert.Contains(entries, e => e.Action == AuditActions.SignIn && e.Outcome == AuditOutcome.Success && e.ClientAddress == "127.0.0.1");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndAuditsFailureWithoutThePassword()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        using var client = app.NewClient();
        var response = await client.SignInAsync(email, "wrong-password-xyz-123");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid sign-in attempt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var entries = await EntriesForAsync(email);
        Assert.Contains(entries, e => e.Action == AuditActions.SignIn && e.Outcome == AuditOutcome.Failure);
        await AssertNoEntryContainsAsync("wrong-password-xyz-123", AppFixture.Password);
    }

    [Fact]
    public async Task SignIn_UnknownUserOrHostileInput_FailsCleanly()
    {
        using var client = app.NewClient();
        foreach (var name in new[] { "nobody@example.test", "' OR 1=1 --@x.test", new string('a', 300) + "@example.test" })
        {
            var response = await client.SignInAsync(name, new string('p', 5000));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksOutEvenTheRightPassword()
    {
        var email = await app.CreateUserAsync(Roles.Operator);
        using var client = app.NewClient();
        for (var i = 0; i < 5; i++) await client.SignInAsync(email, "not-the-password-" + i);
        var response = await client.SignInAsync(email, AppFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Lockout", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        Assert.Contains(await EntriesForAsync(email), e => e.Action == AuditActions.Lockout);
    }

    [Fact]
    public async Task SignIn_DisabledAccount_CountsFailuresAndLocksLikeAnyOther()
    {
        // Found: a disabled account's password could be guessed without limit (failures were not counted), and the
        // "disabled" message then confirmed the right one.
        var email = await app.CreateUserAsync(Roles.Operator);
        var admin = app.Services.GetRequiredService<UserAdminService>();
        var id = (await admin.ListAsync()).Single(u => u.Email == email).Id;
        Assert.True((await admin.SetDisabledAsync(id, true, AuditActor.System)).Succeeded);
        using var client = app.NewClient();

        for (var i = 0; i < 5; i++) await client.SignInAsync(email, "not-the-password-" + i);
        var response = await client.SignInAsync(email, AppFixture.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Lockout", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains(await EntriesForAsync(email), e => e.Action == AuditActions.Lockout);
    }

    [Fact]
    public async Task TwoFactor_EnrolThenSignIn_RequiresAndAcceptsTotpCode()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        using (var enrol = app.NewClient())
        {
            await enrol.SignInAsync(email, AppFixture.Password);
            var page = await (await enrol.GetAsync("/Account/Manage/EnableAuthenticator")).Content.ReadAsStringAsync();
            var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            Assert.NotEmpty(key);
            Assert.Contains("<svg", page, StringComparison.Ordinal);
            var wrong = await enrol.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", Code("000000"), page);
            Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var done = await enrol.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", Code(Totp(key)), page);
            Assert.Contains("recovery-codes", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var client = app.NewClient();
            var first = await client.SignInAsync(email, AppFixture.Password);
            Assert.Contains("/Account/LoginWith2fa", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
            var bad = await client.SubmitFormAsync(first.Headers.Location.OriginalString, "login-with-2fa", TwoFa("123456"));
            Assert.Contains("not valid", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var good = await client.SubmitFormAsync(first.Headers.Location.OriginalString, "login-with-2fa", TwoFa(Totp(key)));
            Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }
        var entries = await EntriesForAsync(email);
        Assert.Contains(entries, e => e.Action == AuditActions.TwoFactorEnabled);
        Assert.Contains(entries, e => e.Action == AuditActions.SignInTwoFactor && e.Outcome == AuditOutcome.Success);
        Assert.Contains(entries, e => e.Action == AuditActions.SignInTwoFactor && e.Outcome == AuditOutcome.Failure);
    }

    [Fact]
    public async Task TwoFactorOff_AndNewRecoveryCodes_NeedThePasswordAgain_AndAreAudited()
    {
        // Found: an open session alone turned two-factor off, and made new recovery codes without an audit entry.
        var email = await app.CreateUserAsync(Roles.Admin);
        using var client = app.NewClient();
        await client.SignInAsync(email, AppFixture.Password);
        var page = await (await client.GetAsync("/Account/Manage/EnableAuthenticator")).Content.ReadAsStringAsync();
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await client.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", Code(Totp(key)), page);
        var users = app.Services.GetRequiredService<UserAdminService>();

        var codesPage = await (await client.GetAsync("/Account/Manage/GenerateRecoveryCodes")).Content.ReadAsStringAsync();
        var noCodes = await client.PostFormAsync("/Account/Manage/GenerateRecoveryCodes", "generate-codes", new Dictionary<string, string> { ["Password"] = "not-my-password" }, codesPage);
        Assert.Contains("not your password", await noCodes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var codes = await client.PostFormAsync("/Account/Manage/GenerateRecoveryCodes", "generate-codes", new Dictionary<string, string> { ["Password"] = AppFixture.Password }, codesPage);
        Assert.Contains("recovery-codes", await codes.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var offPage = await (await client.GetAsync("/Account/Manage/Disable2fa")).Content.ReadAsStringAsync();
        var refused = await client.PostFormAsync("/Account/Manage/Disable2fa", "disable-2fa", new Dictionary<string, string> { ["Password"] = "" }, offPage);
        Assert.Contains("stays on", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await users.ListAsync()).Single(u => u.Email == email).TwoFactorEnabled);
        await client.PostFormAsync("/Account/Manage/Disable2fa", "disable-2fa", new Dictionary<string, string> { ["Password"] = AppFixture.Password }, offPage);
        Assert.False((await users.ListAsync()).Single(u => u.Email == email).TwoFactorEnabled);

        var entries = await EntriesForAsync(email);
        Assert.Contains(entries, e => e.Action == AuditActions.RecoveryCodesGenerated && e.Outcome == AuditOutcome.Denied);
        Assert.Contains(entries, e => e.Action == AuditActions.RecoveryCodesGenerated && e.Outcome == AuditOutcome.Success);
        Assert.Contains(entries, e => e.Action == AuditActions.TwoFactorDisabled && e.Outcome == AuditOutcome.Denied);
        Assert.Contains(entries, e => e.Action == AuditActions.TwoFactorDisabled && e.Outcome == AuditOutcome.Success);
    }

    [Fact]
    public async Task SignOut_PostedFromThePage_EndsSessionAndIsAudited()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        using var client = app.NewClient();
        await client.SignInAsync(email, AppFixture.Password);
        var page = await (await client.GetAsync("/Account/Manage")).Content.ReadAsStringAsync();
        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PanelClient.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        Assert.Contains(await EntriesForAsync(email), e => e.Action == AuditActions.SignOut);
    }

    [Fact]
    public async Task TwoFactorRequiredForAdmins_ForcesEnrolmentBeforeAnythingElse_ViewersUnaffected()
    {
        var policy = app.Services.GetRequiredService<TwoFactorPolicyService>();
        var byAdmin = new AuditActor(null, "test-admin", null) { IsAdmin = true };
        Assert.False((await policy.SaveAsync(true, true, new AuditActor(null, "an-operator", null), default)).Succeeded); // Admins only
        Assert.True((await policy.SaveAsync(true, false, byAdmin, default)).Succeeded);
        try
        {
            var email = await app.CreateUserAsync(Roles.Admin);
            using var client = app.NewClient();
            var signIn = await client.SignInAsync(email, AppFixture.Password);
            Assert.Contains("Account/Manage/EnableAuthenticator?required=true", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

            // Before enrolling, nothing but the account pages: pages go to Access denied (which says why), APIs answer 403.
            var dashboard = await client.GetAsync("/admin/users");
            Assert.Contains("/Account/AccessDenied", dashboard.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
            Assert.Contains("must use two-factor", await (await client.GetAsync("/Account/AccessDenied")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/encryption/recovery-kit", new FormUrlEncodedContent(new Dictionary<string, string>()))).StatusCode);

            var page = await (await client.GetAsync("/Account/Manage/EnableAuthenticator?required=true")).Content.ReadAsStringAsync();
            Assert.Contains("2fa-required", page, StringComparison.Ordinal);
            var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            var done = await client.PostFormAsync("/Account/Manage/EnableAuthenticator?required=true", "send-code", Code(Totp(key)), page);
            Assert.Contains("recovery-codes", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode); // the refreshed cookie says two-factor is on

            // And it cannot be turned off while required.
            var offPage = await (await client.GetAsync("/Account/Manage/Disable2fa")).Content.ReadAsStringAsync();
            var off = await client.PostFormAsync("/Account/Manage/Disable2fa", "disable-2fa", new Dictionary<string, string> { ["Password"] = AppFixture.Password }, offPage);
            Assert.Contains("must use two-factor", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var viewer = await app.CreateUserAsync(Roles.Viewer);
            using var viewerClient = app.NewClient();
            await viewerClient.SignInAsync(viewer, AppFixture.Password);
            Assert.Equal(HttpStatusCode.OK, (await viewerClient.GetAsync("/domains")).StatusCode);
            Assert.Contains(await EntriesForAsync("test-admin"), e => e.Action == AuditActions.TwoFactorPolicyChanged && e.Outcome == AuditOutcome.Success);
        }
        finally
        {
            await policy.SaveAsync(false, false, byAdmin, default);
        }
    }

    private async Task<IReadOnlyList<AuditEntry>> EntriesForAsync(string email) =>
        (await Audit.QueryAsync(new AuditQuery(Text: email, Take: 500))).Items;

    private async Task AssertNoEntryContainsAsync(params string[] secrets)
    {
        var all = (await Audit.QueryAsync(new AuditQuery(Take: 500))).Items;
        foreach (var e in all)
            foreach (var s in secrets)
                Assert.False($"{e.UserName}|{e.TargetId}|{e.Details}".Contains(s, StringComparison.Ordinal), $"audit entry {e.Id} contains a password");
    }

    private static string Totp(string base32Key) => new Totp(Base32Encoding.ToBytes(base32Key)).ComputeTotp();

    private static Dictionary<string, string> Code(string code) => new() { ["Input.Code"] = code };

    private static Dictionary<string, string> TwoFa(string code) => new() { ["Input.TwoFactorCode"] = code };

    [GeneratedRegex("data-testid=\"shared-key\">([^<]+)<")]
    private static partial Regex SharedKey();
}
