using BackupPanel.Core.Domains;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Backups;

/// <summary>
/// The free-space check before a run that stages components in the spool folder (no Local destination in the run):
/// the spool holds one component at a time, so it needs room for the largest one. Files and mail are sized by walking
/// their roots (compression only makes them smaller); database dumps cannot be sized beforehand.
/// </summary>
internal static class SpoolSpace
{
    public static void Require(string spool, Domain domain, BackupType type)
    {
        var largest = Math.Max(
            type is BackupType.Full or BackupType.Files ? BackupSources.EstimateTotal(domain, BackupType.Files) ?? 0 : 0,
            type is BackupType.Full or BackupType.Email ? BackupSources.EstimateTotal(domain, BackupType.Email) ?? 0 : 0);
        var free = new DriveInfo(spool).AvailableFreeSpace;
        if (largest > free)
        {
            throw new RunFailedException(
                $"The spool folder {spool} has {free:N0} bytes free, {largest - free:N0} bytes too few for the largest component ({largest:N0} bytes before compression). " +
                "Free space there, set BackupPanel:SpoolDirectory to a larger disk, or add a Local destination to the run (components are then staged there).");
        }
    }
}
