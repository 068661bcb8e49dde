using BackupPanel.Components.Layout;
using BackupPanel.Core.Security;
using Bunit;

namespace BackupPanel.Tests.Web;

public sealed class NavigationTests : BunitTestBase
{
    public static TheoryData<string, string[], string[]> Menus() => new()
    {
        { Roles.Viewer, ["Dashboard", "Domains", "Plans", "History", "Bulk restores", "Destinations", "Your account"], ["Import", "Notification log", "Users", "Encryption", "Notifications", "Audit log", "Jobs (Hangfire)"] },
        { Roles.Operator, ["Dashboard", "Domains", "Plans", "History", "Bulk restores", "Destinations", "Import", "Notification log", "Your account"], ["Users", "Encryption", "Notifications", "Audit log", "Jobs (Hangfire)"] },
        { Roles.Admin, ["Dashboard", "Domains", "Plans", "History", "Bulk restores", "Destinations", "Import", "Notification log", "Your account", "Users", "Encryption", "Notifications", "Audit log", "Jobs (Hangfire)"], [] },
    };

    [Theory]
    [MemberData(nameof(Menus))]
    public void NavMenu_Role_ShowsExactlyItsLinks(string role, string[] shown, string[] hidden)
    {
        SignInAs(role);
        var menu = Render<NavMenu>();
        var text = menu.Markup;
        foreach (var link in shown) Assert.Contains(link, text, StringComparison.Ordinal);
        foreach (var link in hidden) Assert.DoesNotContain(link, text, StringComparison.Ordinal);
    }

    [Fact]
    public void UserMenu_SignedIn_ShowsNameAndSignOutForm()
    {
        SignInAs(Roles.Operator, "op@example.test");
        var menu = Render<UserMenu>();
        Assert.Contains("op@example.test", menu.Markup, StringComparison.Ordinal);
        Assert.NotNull(menu.Find("[data-testid=user-menu]"));
    }

    [Fact]
    public void UserMenu_Anonymous_RendersNothing()
    {
        SignInAs(null);
        var menu = Render<UserMenu>();
        Assert.Empty(menu.FindAll("[data-testid=user-menu]"));
    }
}
