using System.Net;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

[Collection(AppCollectionDefinition.Name)]
public sealed class UserAdminServiceTests(AppFixture app)
{
    private UserAdminService Users => app.Services.GetRequiredService<UserAdminService>();

    private AuditService Audit => app.Services.GetRequiredService<AuditService>();

    private static readonly AuditActor Admin = new("admin-id", "admin@example.test", "127.0.0.1");

    [Fact]
    public async Task CreateAsync_NoPassword_GeneratesOneThatSignsIn()
    {
        var email = $"new-{Guid.NewGuid():N}@example.test";
        var issued = await Users.CreateAsync(email, Roles.Operator, null, Admin);
        Assert.True(issued.Result.Succeeded, issued.Result.ErrorText);
        Assert.NotNull(issued.GeneratedPassword);
        using var client = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, issued.GeneratedPassword!)).StatusCode);
        var entry = Assert.Single(await EntriesAsync(email, AuditActions.UserCreated));
        Assert.Equal("admin@example.test", entry.UserName);
        Assert.DoesNotContain(issued.GeneratedPassword!, entry.Details ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-email", "Viewer", "valid e-mail")]
    [InlineData("", "Viewer", "valid e-mail")]
    [InlineData("x@example.test", "Root", "Unknown role")]
    public async Task CreateAsync_BadInput_FailsWithClearError(string email, string role, string expected)
    {
        var issued = await Users.CreateAsync(email, role, "long-enough-password", Admin);
        Assert.False(issued.Result.Succeeded);
        Assert.Contains(expected, issued.Result.ErrorText, StringComparison.Ordinal);
        Assert.Null(issued.GeneratedPassword);
    }

    [Fact]
    public async Task CreateAsync_ShortPasswordOrDuplicate_Fails()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        Assert.False((await Users.CreateAsync(email, Roles.Viewer, "long-enough-password", Admin)).Result.Succeeded);
        var shortOne = await Users.CreateAsync($"s-{Guid.NewGuid():N}@example.test", Roles.Viewer, "short", Admin);
        Assert.Contains("12", shortOne.Result.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeRoleAsync_ViewerToOperator_TakesEffectAndIsAudited()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        var user = (await Users.ListAsync()).Single(u => u.Email == email);
        Assert.True((await Users.ChangeRoleAsync(user.Id, Roles.Operator, Admin)).Succeeded);
        Assert.Equal(Roles.Operator, (await Users.ListAsync()).Single(u => u.Email == email).Role);
        var entry = Assert.Single(await EntriesAsync(email, AuditActions.UserRoleChanged));
        Assert.Equal("Viewer -> Operator", entry.Details);
    }

    [Fact]
    public async Task SetDisabledAsync_Disabled_CannotSignInAndSeesWhy()
    {
        var email = await app.CreateUserAsync(Roles.Operator);
        var user = (await Users.ListAsync()).Single(u => u.Email == email);
        Assert.True((await Users.SetDisabledAsync(user.Id, true, Admin)).Succeeded);
        using var client = app.NewClient();
        var denied = await client.SignInAsync(email, AppFixture.Password);
        Assert.Contains("disabled", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        Assert.True((await Users.SetDisabledAsync(user.Id, false, Admin)).Succeeded);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, AppFixture.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Single(await EntriesAsync(email, AuditActions.UserDisabled));
        Assert.Single(await EntriesAsync(email, AuditActions.UserEnabled));
    }

    [Fact]
    public async Task SetDisabledAsync_Self_IsRefused()
    {
        var email = await app.CreateUserAsync(Roles.Admin);
        var user = (await Users.ListAsync()).Single(u => u.Email == email);
        var result = await Users.SetDisabledAsync(user.Id, true, Admin with { UserId = user.Id });
        Assert.False(result.Succeeded);
        Assert.Contains("your own account", result.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPasswordAsync_LockedOutUser_GetsWorkingPasswordAndIsUnlocked()
    {
        var email = await app.CreateUserAsync(Roles.Viewer);
        using var client = app.NewClient();
        for (var i = 0; i < 5; i++) await client.SignInAsync(email, "nope-nope-nope-" + i);
        var user = (await Users.ListAsync()).Single(u => u.Email == email);
        Assert.NotNull(user.LockedOutUntil);

        var issued = await Users.ResetPasswordAsync(user.Id, null, Admin);
        Assert.True(issued.Result.Succeeded);
        Assert.Null((await Users.ListAsync()).Single(u => u.Email == email).LockedOutUntil);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, issued.GeneratedPassword!)).StatusCode);
        var entry = Assert.Single(await EntriesAsync(email, AuditActions.UserPasswordReset));
        Assert.DoesNotContain(issued.GeneratedPassword!, entry.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeRoleAsync_UnknownUser_FailsClearly()
    {
        var result = await Users.ChangeRoleAsync(Guid.NewGuid().ToString(), Roles.Admin, Admin);
        Assert.False(result.Succeeded);
        Assert.Contains("no longer exists", result.ErrorText, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<AuditEntry>> EntriesAsync(string email, string action) =>
        (await Audit.QueryAsync(new AuditQuery(Text: email, Action: action, Take: 100))).Items;
}
