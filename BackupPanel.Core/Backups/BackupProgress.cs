using BackupPanel.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>Live progress of a backup run or verification on the backup's row.</summary>
internal static class BackupProgress
{
    /// <summary>Writes phase and bytes to the backup's row; cancels when the backup's cancel was asked for.</summary>
    public static ProgressFlush Flush(Guid backupId) => async (db, phase, done, total, at, ct) =>
    {
        await db.Backups.Where(b => b.Id == backupId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Phase, phase).SetProperty(b => b.ProgressBytes, done)
            .SetProperty(b => b.ProgressTotal, total).SetProperty(b => b.ProgressAt, at), ct).ConfigureAwait(false);
        return await db.Backups.AnyAsync(b => b.Id == backupId && b.CancelRequested, ct).ConfigureAwait(false);
    };
}
