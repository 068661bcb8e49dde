using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Hosting;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class DatabaseStartupTests(PostgresFixture postgres)
{
    [Fact]
    public async Task InitializeAsync_EmptyDatabase_AppliesEveryMigrationAndSeedsRoles()
    {
        var cs = await postgres.CreateDatabaseAsync("mig");
        await using var sp = BuildServices(cs);
        await using (var scope = sp.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        await using var db = await sp.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(Roles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
    }

    [Fact]
    public async Task InitializeAsync_RunTwice_IsIdempotent()
    {
        var cs = await postgres.CreateDatabaseAsync("mig");
        await using var sp = BuildServices(cs);
        for (var i = 0; i < 2; i++)
        {
            await using var scope = sp.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        await using var db = await sp.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await db.Roles.CountAsync());
    }

    [Fact]
    public async Task AuditEntries_UpdateOrDelete_IsRefusedByTheDatabase()
    {
        var cs = await postgres.CreateDatabaseAsync("mig");
        await using var sp = BuildServices(cs);
        await using (var scope = sp.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var audit = ActivatorUtilities.CreateInstance<BackupPanel.Core.Security.Audit.AuditService>(sp, TimeProvider.System);
        await audit.WriteAsync(BackupPanel.Core.Security.Audit.AuditActor.System, "test.action", BackupPanel.Core.Security.Audit.AuditOutcome.Success);

        await using var db = await sp.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET \"Details\" = 'x'"));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("TRUNCATE audit_entries"));
        Assert.Equal(1, await db.AuditEntries.CountAsync());
    }

    private static ServiceProvider BuildServices(string cs)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBackupPanelData(cs);
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<BackupPanelDbContext>();
        return services.BuildServiceProvider();
    }
}
