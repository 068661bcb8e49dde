using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Domains;

namespace BackupPanel.Core.Restore.Bulk;

/// <summary>What a batch's choices mean for one backup: which components, and where files and mail go.</summary>
internal static class BulkChoice
{
    /// <summary>The backup's components of the kinds the batch restores, in manifest order.</summary>
    public static List<BackupComponent> Components(RestoreBatch batch, IEnumerable<BackupComponent> components) =>
        components.Where(c => c.Kind switch
        {
            ArchiveLayout.FilesKind => batch.Files,
            ArchiveLayout.MailKind => batch.Mail,
            ArchiveLayout.PostgreSqlKind or ArchiveLayout.MySqlKind => batch.Databases,
            _ => false, // an imported original is kept for download, never restored
        }).OrderBy(c => c.Position).ToList();

    /// <summary>
    /// The folder a tree component is restored into: ROOT/DOMAIN/files and ROOT/DOMAIN/mail with an alternate root
    /// (the same layout whatever else the backup holds), else the domain's files or mail root.
    /// </summary>
    public static string? TreeTarget(RestoreBatchItem item, string kind, Domain? domain) =>
        item.TargetDirectory is { } dir ? Path.Combine(dir, kind)
        : kind == ArchiveLayout.FilesKind ? domain?.FilesRoot : domain?.MailRoot;

    /// <summary>The single restore this item runs (with the folder rule of <see cref="TreeTarget"/>).</summary>
    public static RestoreRequest Request(RestoreBatch batch, RestoreBatchItem item, IReadOnlyList<BackupComponent> chosen)
    {
        var trees = chosen.Where(c => c.Kind is ArchiveLayout.FilesKind or ArchiveLayout.MailKind).ToList();
        return new RestoreRequest
        {
            BackupId = item.BackupId, Components = chosen.Select(c => c.Name).ToList(),
            TargetDirectory = item.TargetDirectory is { } dir && trees.Count == 1 ? Path.Combine(dir, trees[0].Kind) : item.TargetDirectory,
            TargetDatabaseSuffix = batch.DatabaseSuffix, SafetyBackup = batch.SafetyBackup, DryRun = batch.DryRun,
        };
    }
}
