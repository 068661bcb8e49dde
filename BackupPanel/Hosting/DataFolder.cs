namespace BackupPanel.Hosting;

/// <summary>
/// The panel's data folder (the embedded database, spool, local backups by default): nobody but the panel lists or
/// reads it. As root it is 0711, so that the embedded PostgreSQL, which runs as the postgres user, can still pass
/// through to its own 0700 folder; as another user 0700.
/// </summary>
public static class DataFolder
{
    /// <summary>Creates the folder with that mode, or takes read and write away from group and others on an existing one.</summary>
    public static void Secure(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = EmbeddedPostgres.IsRoot
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, mode);
            File.SetUnixFileMode(path, mode); // whatever the umask
            return;
        }

        var current = File.GetUnixFileMode(path);
        var open = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((current & open) != 0)
        {
            File.SetUnixFileMode(path, current & ~open);
        }
    }
}
