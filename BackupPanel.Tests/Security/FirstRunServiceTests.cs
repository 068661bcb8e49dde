using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class FirstRunServiceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CreateFirstAdminAsync_TwoRacingRequests_ExactlyOneAdminIsCreated()
    {
        await using var sp = await FreshServicesAsync();
        var firstRun = sp.GetRequiredService<FirstRunService>();
        Assert.False(await firstRun.HasUsersAsync());

        var results = await Task.WhenAll(
            firstRun.CreateFirstAdminAsync("a@example.test", "first-admin-password", AuditActor.System),
            firstRun.CreateFirstAdminAsync("b@example.test", "first-admin-password", AuditActor.System));

        Assert.Single(results, r => r.Succeeded);
        Assert.True(await firstRun.HasUsersAsync());
        var users = await sp.GetRequiredService<UserAdminService>().ListAsync();
        var admin = Assert.Single(users);
        Assert.Equal(Roles.Admin, admin.Role);
    }

    [Fact]
    public async Task CreateFirstAdminAsync_WeakPasswordOrBadEmail_CreatesNobody()
    {
        await using var sp = await FreshServicesAsync();
        var firstRun = sp.GetRequiredService<FirstRunService>();
        Assert.False((await firstRun.CreateFirstAdminAsync("a@example.test", "short", AuditActor.System)).Succeeded);
        Assert.False((await firstRun.CreateFirstAdminAsync("<script>", "long-enough-password", AuditActor.System)).Succeeded);
        Assert.False(await firstRun.HasUsersAsync());
    }

    private async Task<ServiceProvider> FreshServicesAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBackupPanelData(await postgres.CreateDatabaseAsync("first"));
        services.AddBackupPanelSecurity();
        services.AddIdentityCore<ApplicationUser>(IdentityPolicy.Configure)
            .AddRoles<IdentityRole>().AddEntityFrameworkStores<BackupPanelDbContext>().AddDefaultTokenProviders();
        var sp = services.BuildServiceProvider();
        await using var scope = sp.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return sp;
    }
}
