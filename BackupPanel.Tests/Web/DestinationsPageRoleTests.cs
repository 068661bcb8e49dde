using BackupPanel.Circuit;
using BackupPanel.Components.Pages.Destinations;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Destinations.Kinds.Sftp;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Web;

/// <summary>
/// The Destinations page per role against the real services: everyone sees names and status; only Admins see where a
/// destination points (host, user, bucket); nobody ever gets a secret, not even an Admin editing it.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class DestinationsPageRoleTests : BunitTestBase
{
    private const string Secret = "Page-secret-never-shown-1";
    private readonly AppFixture _app;

    public DestinationsPageRoleTests(AppFixture app)
    {
        _app = app;
        Services.AddSingleton(app.Services.GetRequiredService<DestinationService>());
        Services.AddSingleton(app.Services.GetRequiredService<BackupPanel.Core.Backups.CatalogImport>());
        Services.AddSingleton(app.Services.GetRequiredService<BackupPanel.Core.Backups.BackupService>());
        Services.AddHttpContextAccessor();
        Services.AddScoped<AuditActorAccessor>();
        Services.AddScoped<PanelUser>();
        Services.AddScoped<DestinationActions>();
    }

    public static TheoryData<string, bool, string[], string[]> Roles_ => new()
    {
        { Roles.Viewer, false, [], ["test-destination", "edit-destination", "add-destination"] },
        { Roles.Operator, false, ["test-destination"], ["edit-destination", "add-destination"] },
        { Roles.Admin, true, ["test-destination", "edit-destination", "add-destination"], [] },
    };

    [Theory]
    [MemberData(nameof(Roles_))]
    public async Task DestinationsPage_Role_SettingsOnlyForAdminsSecretsForNobody(string role, bool seesWhere, string[] shown, string[] hidden)
    {
        var name = $"Vault {Guid.NewGuid():N}"[..14];
        await RemoteDestinationBed.CreateAsync(_app, new DestinationInput
        {
            Name = name, Settings = new SftpInput { Host = "vault.internal.example", UserName = "vault-user", Password = Secret, Path = "backups" },
        });
        SignInAs(role);

        var page = Render<DestinationsPage>();

        page.WaitForAssertion(() => Assert.Contains(name, page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(seesWhere, page.Markup.Contains("vault.internal.example", StringComparison.Ordinal));
        Assert.Equal(seesWhere, page.Markup.Contains("vault-user", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, page.Markup, StringComparison.Ordinal);
        foreach (var id in shown) Assert.NotEmpty(page.FindAll($"[data-testid={id}]"));
        foreach (var id in hidden) Assert.Empty(page.FindAll($"[data-testid={id}]"));
    }
}
