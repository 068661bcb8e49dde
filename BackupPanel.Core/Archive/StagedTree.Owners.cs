using System.Formats.Tar;

namespace BackupPanel.Core.Archive;

// Who restored entries belong to, and which mode bits they keep.
public sealed partial class StagedTree
{
    /// <summary>
    /// The owner to restore (by name when it exists here, else by id), or null when owners are not restored. Inside a
    /// domain, what was recorded as root's (uid or gid 0) becomes the domain owner's: a tenant's archive never makes
    /// root-owned files in a tenant's folder.
    /// </summary>
    private (int Uid, int Gid)? OwnerOf(TarEntry entry)
    {
        if (!_options.RestoreOwners || !UnixFile.IsRoot || entry is not PosixTarEntry posix)
        {
            return null;
        }

        var (uid, gid) = (OwnerNames.System.UserId(posix.UserName, posix.Uid), OwnerNames.System.GroupId(posix.GroupName, posix.Gid));
        if (_options.DomainOwner is { } owner && (uid == 0 || gid == 0))
        {
            _ownersMapped++;
            (uid, gid) = (uid == 0 ? owner.Uid : uid, gid == 0 ? owner.Gid : gid);
        }

        return (uid, gid);
    }

    /// <summary>The mode to set: setuid and setgid are dropped wherever the entry would belong to root (counted).</summary>
    private UnixFileMode ModeOf(UnixFileMode mode, (int Uid, int Gid)? owner)
    {
        const UnixFileMode Special = UnixFileMode.SetUser | UnixFileMode.SetGroup;
        var (uid, gid) = owner ?? (UnixFile.EffectiveUserId, UnixFile.IsRoot ? 0 : -1);
        if (_options.DropRootSpecialBits && (mode & Special) != 0 && (uid == 0 || gid == 0))
        {
            _specialBitsDropped++;
            return mode & ~Special;
        }

        return mode;
    }

    private void WarnOwner(string path, int uid, int gid, string? error)
    {
        if (_warnings.Count < TreeArchiver.MaxWarnings)
        {
            _warnings.Add($"{ArchivePath.Shorten(path)}: owner {uid}:{gid} not set ({error})");
        }
    }
}
