using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Paths;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Domains;

/// <summary>The domains' files and mail roots, for the allowed roots an upgrade starts from.</summary>
internal sealed class DomainPathsInUse : IPathsInUse
{
    public PathUse Use => PathUse.Data;

    public async Task<IReadOnlyList<string>> ListAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var roots = await db.Domains.AsNoTracking().Select(d => new { d.FilesRoot, d.MailRoot }).ToListAsync(ct).ConfigureAwait(false);
        return [.. roots.SelectMany(d => new[] { d.FilesRoot, d.MailRoot }).OfType<string>().Distinct()];
    }
}
