using BackupPanel.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Data;

/// <summary>Applies EF Core migrations and seeds the three roles. Safe to run on every start and on several nodes.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<BackupPanelDbContext> dbFactory,
    RoleManager<IdentityRole> roles)
{
    // Any constant works; it only serialises start-up migrations across nodes sharing one database.
    private const long MigrationLockKey = 0x4261636b5061;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct).ConfigureAwait(false);
                // EF logs each migration it applies (category Microsoft.EntityFrameworkCore.Migrations).
                await db.Database.MigrateAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", ct).ConfigureAwait(false);
            }
        }
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role).ConfigureAwait(false)) await roles.CreateAsync(new IdentityRole(role)).ConfigureAwait(false);
        }
    }
}
