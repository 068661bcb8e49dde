using BackupPanel.Circuit;
using BackupPanel.Components.Pages.Backups;
using BackupPanel.Components.Pages.Domains;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Web;

/// <summary>
/// The domain and backup pages per role, rendered against the real services of the test app: a Viewer reads but
/// sees no action, and the action handlers refuse a Viewer even if one were triggered.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class BackupPagesRoleTests : BunitTestBase, IDisposable
{
    private readonly AppFixture _app;
    private readonly BackupTestBed _bed;

    public BackupPagesRoleTests(AppFixture app)
    {
        _app = app;
        _bed = new BackupTestBed(app);
        foreach (var type in new[] { typeof(DomainService), typeof(BackupService), typeof(RestoreService), typeof(DomainChecker), typeof(EncryptionService), typeof(TimeProvider), typeof(BackupPanel.Core.Destinations.DestinationService) })
            Services.AddSingleton(type, app.Services.GetRequiredService(type));
        Services.AddHttpContextAccessor();
        Services.AddScoped<AuditActorAccessor>();
        Services.AddScoped<PanelUser>();
        Services.AddScoped<BackupActions>();
    }

    public new void Dispose()
    {
        _bed.Dispose();
        base.Dispose();
    }

    [Fact]
    public async Task DomainEditPage_Operator_OwnerIsAnAdminsAndARootUnderEtcIsRefusedAtItsField()
    {
        SignInAs(Roles.Operator);

        var page = Render<DomainEditPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("input[data-testid=domain-owner-user]")), TimeSpan.FromSeconds(10));
        Assert.True(page.Find("input[data-testid=domain-owner-user]").HasAttribute("disabled"));
        Assert.True(page.Find("input[data-testid=domain-owner-group]").HasAttribute("disabled"));
        var name = $"e{Guid.NewGuid():N}"[..12] + ".example.com";
        page.Find("input[data-testid=domain-name]").Change(name);
        page.Find("input[data-testid=domain-files-root]").Change("/etc/nginx/site");
        page.Find("[data-testid=save-domain]").Click();

        page.WaitForAssertion(() => Assert.Contains("/etc/nginx/site is never allowed", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(await _app.Services.GetRequiredService<DomainService>().ListAsync(default), d => d.Name == name);
    }

    public static TheoryData<string, string[], string[]> DomainPageActions => new()
    {
        { Roles.Viewer, [], ["back-up-now", "check-domain"] },
        { Roles.Operator, ["back-up-now", "check-domain"], [] },
    };

    [Theory]
    [MemberData(nameof(DomainPageActions))]
    public async Task DomainPage_Role_ShowsOnlyItsActions(string role, string[] shown, string[] hidden)
    {
        var (domain, _) = await BackUpAsync();
        SignInAs(role);

        var page = Render<DomainPage>(p => p.Add(x => x.Id, domain.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=backup-link]")), TimeSpan.FromSeconds(10));
        foreach (var id in shown) Assert.NotEmpty(page.FindAll($"[data-testid={id}]"));
        foreach (var id in hidden) Assert.Empty(page.FindAll($"[data-testid={id}]"));
    }

    public static TheoryData<string, string[], string[]> BackupPageActions => new()
    {
        { Roles.Viewer, [], ["verify-backup", "restore-backup", "download-component", "delete-backup", "pin-backup"] },
        { Roles.Operator, ["verify-backup", "restore-backup", "pin-backup"], ["delete-backup", "download-component"] },
        { Roles.Admin, ["verify-backup", "restore-backup", "download-component", "delete-backup", "pin-backup"], [] },
    };

    [Theory]
    [MemberData(nameof(BackupPageActions))]
    public async Task BackupDetailPage_Role_ShowsOnlyItsActions(string role, string[] shown, string[] hidden)
    {
        var (_, backup) = await BackUpAsync();
        SignInAs(role);

        var page = Render<BackupDetailPage>(p => p.Add(x => x.Id, backup.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=component-table]")), TimeSpan.FromSeconds(10));
        Assert.Contains("files.tar.zst.age", page.Markup, StringComparison.Ordinal);
        foreach (var id in shown) Assert.NotEmpty(page.FindAll($"[data-testid={id}]"));
        foreach (var id in hidden) Assert.Empty(page.FindAll($"[data-testid={id}]"));
    }

    [Fact]
    public async Task BackupActions_AsViewer_RefuseEvenWhenCalledDirectly()
    {
        var (_, backup) = await BackUpAsync();
        SignInAs(Roles.Viewer);
        var actions = Services.GetRequiredService<BackupActions>();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => actions.VerifyAsync(backup));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => actions.RestoreAsync(backup));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => actions.DeleteAsync(backup));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => actions.TogglePinAsync(backup));
        Assert.False((await _bed.Backups.GetAsync(backup.Id, default))!.Pinned);
    }

    [Fact]
    public async Task Pin_AsOperator_PinsThenUnpins_ShownAndAudited()
    {
        var (_, backup) = await BackUpAsync();
        SignInAs(Roles.Operator);
        var page = Render<BackupDetailPage>(p => p.Add(x => x.Id, backup.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=pin-backup]")), TimeSpan.FromSeconds(10));

        page.Find("[data-testid=pin-backup]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=backup-pinned]")), TimeSpan.FromSeconds(10));
        Assert.True((await _bed.Backups.GetAsync(backup.Id, default))!.Pinned);
        page.Find("[data-testid=pin-backup]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=backup-pinned]")), TimeSpan.FromSeconds(10));
        Assert.False((await _bed.Backups.GetAsync(backup.Id, default))!.Pinned);
        var audit = _app.Services.GetRequiredService<BackupPanel.Core.Security.Audit.AuditService>();
        foreach (var action in new[] { BackupPanel.Core.Security.Audit.AuditActions.BackupPinned, BackupPanel.Core.Security.Audit.AuditActions.BackupUnpinned })
        {
            var entries = await audit.QueryAsync(new BackupPanel.Core.Security.Audit.AuditQuery(Action: action, Take: 500), default);
            Assert.Contains(entries.Items, e => e.TargetId == backup.Id.ToString());
        }
    }

    private async Task<(Domain Domain, Backup Backup)> BackUpAsync()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "hello");
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Files);
        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        return (domain, backup);
    }
}
