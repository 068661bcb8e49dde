using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Security;

/// <summary>Per-user UI preferences stored on the user row.</summary>
public sealed class UserPreferencesService(IDbContextFactory<BackupPanelDbContext> dbFactory)
{
    /// <summary>The user's dark-mode choice; null when never chosen (follow the browser).</summary>
    public async Task<bool?> GetDarkModeAsync(string userId, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DarkMode).FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    public async Task SetDarkModeAsync(string userId, bool dark, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DarkMode, dark), ct).ConfigureAwait(false);
    }
}
