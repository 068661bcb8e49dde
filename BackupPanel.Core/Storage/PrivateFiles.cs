namespace BackupPanel.Core.Storage;

/// <summary>
/// Files and folders the panel writes for itself (local backups, spool, uploads): readable by root alone, 0600 and
/// 0700, whatever the umask. Other users of the server never read a backup's bytes, even encrypted ones. These are
/// by path on purpose: they lie in folders no tenant writes to (the data folder, the spool, and local destinations,
/// which the allowed roots keep under Admin-chosen folders), unlike domain folders, which are reached by descriptor.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rw------- (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and its missing parents, each 0700; an existing one keeps its mode.</summary>
    public static void CreateFolder(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return;
        }

        if (Path.GetDirectoryName(full) is { } parent)
        {
            CreateFolder(parent); // Directory.CreateDirectory gives the mode to the last folder only
        }

        Directory.CreateDirectory(full, FolderMode);
    }

    /// <summary>A new file, 0600, opened for writing.</summary>
    public static FileStream Create(string path, System.IO.FileMode mode, FileAccess access, int bufferSize) => new(path, new FileStreamOptions
    {
        Mode = mode, Access = access, Share = FileShare.None, BufferSize = bufferSize, Options = FileOptions.Asynchronous, UnixCreateMode = FileMode,
    });
}
