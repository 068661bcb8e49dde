using System.Diagnostics;
using BackupPanel.Circuit;
using BackupPanel.Components.Pages.Backups;
using BackupPanel.Components.Pages.Dashboard;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Dashboard;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Health;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using BackupPanel.Tests.Web;
using Bunit;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Dashboard;

/// <summary>
/// The dashboard and the history page rendered (bUnit, real services) over a database seeded with a year of history
/// — 100,000 backups, the same scripts/seed-history.sql that `make bench` times. The budget (1 s) is measured in the
/// bench; here it is asserted loosely (10 s), so a slow CI machine does not fail it, but a table scan per domain would.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class DashboardScaleTests : BunitTestBase
{
    private readonly AppFixture _app;

    public DashboardScaleTests(AppFixture app)
    {
        _app = app;
        foreach (var type in new[] { typeof(SystemStatusService), typeof(EncryptionService), typeof(DomainService) })
        {
            Services.AddSingleton(type, app.Services.GetRequiredService(type));
        }

        Services.AddSingleton(TimeProvider.System);
        Services.AddHttpContextAccessor();
        Services.AddScoped<AuditActorAccessor>();
        Services.AddScoped<PanelUser>();
    }

    [Fact]
    public async Task Dashboard_AndHistory_With100000Backups_RenderWithinTheLooseBudget()
    {
        var connectionString = await _app.Postgres.CreateDatabaseAsync("scale");
        var options = new DbContextOptionsBuilder<BackupPanelDbContext>().UseNpgsql(connectionString).Options;
        await using (var db = new BackupPanelDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        await using (var conn = new Npgsql.NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var seed = new Npgsql.NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "scripts", "seed-history.sql")), conn) { CommandTimeout = 300 };
            await seed.ExecuteNonQueryAsync();
        }

        var factory = new PooledDbContextFactory<BackupPanelDbContext>(options);
        var dashboard = new DashboardService(factory, new ProtectionService(factory, TimeProvider.System), TimeProvider.System);
        Services.AddSingleton(dashboard);
        Services.AddSingleton(new BackupService(factory, _app.Services.GetRequiredService<DestinationStorage>(), _app.Services.GetRequiredService<IBackgroundJobClient>(),
            _app.Services.GetRequiredService<AuditService>(), TimeProvider.System));
        SignInAs(Roles.Viewer);
        await dashboard.GetAsync(default); // warm: EF's first query compiles the model

        var watch = Stopwatch.StartNew();
        var page = Render<DashboardPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-per-day] svg")), TimeSpan.FromSeconds(30));
        var dashboardTime = watch.Elapsed;
        watch.Restart();
        var history = Render<HistoryPage>();
        history.WaitForAssertion(() => Assert.Equal(25, history.FindAll("[data-testid=history-table] tbody tr").Count), TimeSpan.FromSeconds(30));
        var historyTime = watch.Elapsed;

        Assert.Equal("1-25 of 100,000", history.Find(".mud-table-page-number-information").TextContent);
        Assert.Contains("200 of 200 domains at risk", page.Find("[data-testid=protection-summary]").TextContent, StringComparison.Ordinal); // no plan in the seed
        Assert.Contains("Offsite S3", page.Find("[data-testid=storage-per-destination]").TextContent, StringComparison.Ordinal);
        Assert.Equal(8, page.FindAll("[data-testid=problem-link]").Count);
        Assert.True(dashboardTime < TimeSpan.FromSeconds(10), $"dashboard {dashboardTime.TotalMilliseconds:0} ms");
        Assert.True(historyTime < TimeSpan.FromSeconds(10), $"history {historyTime.TotalMilliseconds:0} ms");
    }
}
