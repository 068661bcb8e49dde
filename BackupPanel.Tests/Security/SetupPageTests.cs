using System.Net;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

[Collection(AppCollectionDefinition.Name)]
public sealed class SetupPageTests(AppFixture app)
{
    [Fact]
    public async Task Setup_UserExists_PageIsGoneAndPostCreatesNobody()
    {
        await app.CreateUserAsync(Roles.Viewer);
        var before = (await app.Services.GetRequiredService<UserAdminService>().ListAsync()).Count;
        using var client = app.NewClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/setup")).StatusCode);

        var login = await (await client.GetAsync("/Account/Login")).Content.ReadAsStringAsync();
        var post = await client.PostFormAsync("/setup", "setup", new Dictionary<string, string>
        {
            ["Input.Email"] = "intruder@example.test",
            ["Input.Password"] = "intruder-password-1",
            ["Input.ConfirmPassword"] = "intruder-password-1",
        }, login);
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(before, (await app.Services.GetRequiredService<UserAdminService>().ListAsync()).Count);
    }

    [Fact]
    public async Task CreateFirstAdminAsync_UserExists_IsRefused()
    {
        await app.CreateUserAsync(Roles.Viewer);
        var result = await app.Services.GetRequiredService<FirstRunService>()
            .CreateFirstAdminAsync("late@example.test", "late-password-123", AuditActor.System);
        Assert.False(result.Succeeded);
        Assert.Contains("already set up", result.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public void SetupToken_OnlyTheProcesssOwnPasses()
    {
        var firstRun = app.Services.GetRequiredService<FirstRunService>();

        Assert.True(firstRun.IsSetupToken(firstRun.SetupToken));
        Assert.True(firstRun.SetupToken.Length >= 32);
        foreach (var wrong in new[] { null, "", "x", firstRun.SetupToken + "x", firstRun.SetupToken[..^1], Flip(firstRun.SetupToken), new string('a', 10_000) })
        {
            Assert.False(firstRun.IsSetupToken(wrong), wrong);
        }
    }

    /// <summary>The same token with its first character changed.</summary>
    private static string Flip(string token) => (token[0] == 'A' ? 'B' : 'A') + token[1..];
}
