using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Plans;

/// <summary>What a plan asks of the backups it makes, for the backup run (which knows no plan).</summary>
internal sealed class PlanBackupOptions(IDbContextFactory<BackupPanelDbContext> dbFactory) : IBackupRunOptions
{
    public async Task<BackupRunOptions?> ForPlanAsync(Guid planId, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.Plans.AsNoTracking().Where(p => p.Id == planId)
            .Select(p => new BackupRunOptions(p.CompressionLevel, p.Encrypt, p.VerifyAfterBackup)).SingleOrDefaultAsync(ct).ConfigureAwait(false);
    }
}
