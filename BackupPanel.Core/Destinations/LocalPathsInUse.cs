using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Security.Paths;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Destinations;

/// <summary>The local destinations' folders, for the allowed roots an upgrade starts from.</summary>
internal sealed class LocalPathsInUse : IPathsInUse
{
    public PathUse Use => PathUse.Destination;

    public async Task<IReadOnlyList<string>> ListAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var destinations = await db.Destinations.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        return [.. destinations.Select(d => d.Settings).OfType<LocalSettings>().Select(s => s.Path).Distinct()];
    }
}
