using BackupPanel.Core.Archive;

namespace BackupPanel.Core.Domains;

/// <summary>
/// Who files restored or imported into a domain belong to: the owner an Admin set, else the owner of the domain's
/// files root (or mail root) as it is now.
/// </summary>
public static class DomainOwner
{
    /// <summary>The owner with where it comes from, or null when neither is set nor any root exists.</summary>
    public static (UnixOwner Owner, string Source)? Resolve(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var names = OwnerNames.Read();
        if (domain.OwnerUser is { } user && domain.OwnerGroup is { } group && names.FindUser(user) is { } uid && names.FindGroup(group) is { } gid)
        {
            return (new UnixOwner(uid, gid, $"{user}:{group}"), "set by an Admin");
        }

        foreach (var (root, what) in new[] { (domain.FilesRoot, "files root"), (domain.MailRoot, "mail root") })
        {
            if (root is null)
            {
                continue;
            }

            try
            {
                using var folder = DirectoryHandle.OpenReal(root);
                var status = folder.Stat();
                return (new UnixOwner(status.Uid, status.Gid, $"{Name(names.UserName(status.Uid), status.Uid)}:{Name(names.GroupName(status.Gid), status.Gid)}"),
                    $"the owner of the {what}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not there (yet), or a link: try the next.
            }
        }

        return null;
    }

    private static string Name(string name, int id) => name.Length > 0 ? name : id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
