using BackupPanel.Core.Storage;

namespace BackupPanel.Hosting;

/// <summary>
/// Who owns the embedded cluster: the one process holding <c>&lt;data&gt;/panel.lock</c> (an exclusive flock, released
/// by the kernel when the process ends, however it ends). That process starts the cluster, restarts it if it dies and
/// stops it at exit; a worker on the same folder attaches without owning it; a second web process refuses to start.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _lock;

    private DataFolderLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock, or returns null with the holder's process id (when it recorded one).</summary>
    public static DataFolderLock? TryTake(string dataDirectory, out int? holder)
    {
        var lockFile = Path.Combine(dataDirectory, "panel.lock");
        var pidFile = Path.Combine(dataDirectory, "panel.pid");
        FileStream? file = null;
        try
        {
            file = new FileStream(lockFile, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException)
        {
            // .NET's own advisory lock on open already met the holder's lock.
        }

        if (file is null || !FileLock.TryLockExclusive(file.SafeFileHandle))
        {
            file?.Dispose();
            holder = File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) ? pid : null;
            return null;
        }

        File.WriteAllText(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        holder = null;
        return new DataFolderLock(file);
    }

    public void Dispose() => _lock.Dispose();
}
