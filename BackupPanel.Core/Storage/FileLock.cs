using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BackupPanel.Core.Storage;

/// <summary>
/// flock(2) itself: an exclusive, non-blocking advisory lock the kernel drops when the process ends, however it ends.
/// .NET's own FileShare lock is not taken on every file system, so it is not relied on.
/// </summary>
public static partial class FileLock
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    /// <summary>True when this process now holds the lock on the open file.</summary>
    public static bool TryLockExclusive(SafeFileHandle file) => Flock((int)file.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
