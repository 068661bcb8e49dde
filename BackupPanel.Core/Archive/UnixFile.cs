using System.Runtime.InteropServices;

namespace BackupPanel.Core.Archive;

/// <summary>What <c>lstat</c> says about a path: type, permissions, owner, size and modification time.</summary>
/// <param name="Type">File type bits (<c>S_IFMT</c>).</param>
/// <param name="Mode">Permission bits including setuid/setgid/sticky.</param>
/// <param name="Uid">Owner user id.</param>
/// <param name="Gid">Owner group id.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ModifiedUtc">Modification time, to the 100 ns tick.</param>
public readonly record struct UnixFileStatus(UnixFileType Type, UnixFileMode Mode, int Uid, int Gid, long Size, DateTimeOffset ModifiedUtc);

/// <summary>File types as <c>S_IFMT</c> encodes them.</summary>
public enum UnixFileType
{
    /// <summary>Anything not listed below.</summary>
    Unknown = 0,
    /// <summary>FIFO.</summary>
    Fifo = 0x1000,
    /// <summary>Character device.</summary>
    CharacterDevice = 0x2000,
    /// <summary>Directory.</summary>
    Directory = 0x4000,
    /// <summary>Block device.</summary>
    BlockDevice = 0x6000,
    /// <summary>Regular file.</summary>
    RegularFile = 0x8000,
    /// <summary>Symbolic link.</summary>
    SymbolicLink = 0xA000,
    /// <summary>Socket.</summary>
    Socket = 0xC000,
}

/// <summary>
/// The POSIX calls .NET does not offer, or only with extra calls around them: <c>statx</c> without following links (its
/// struct has one layout on every Linux architecture, unlike <c>struct stat</c>), <c>lchown</c>/<c>fchown</c> for
/// restoring owners, and <c>pwrite</c>/<c>futimens</c> on a fresh file without the position query (lseek) and status
/// read (fstat) that .NET's RandomAccess and File.SetLastWriteTimeUtc add — two calls per file less when a restore
/// writes tens of thousands of small files.
/// </summary>
public static partial class UnixFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int Eintr = 4;
    private const int OpenReadOnly = 0;
    private const int OpenNoCtty = 0x100;
    private const int OpenNonBlock = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const long UtimeOmit = (1L << 30) - 2;

    /// <summary>lstat: the path itself, never what a link points to. Throws <see cref="IOException"/> on failure.</summary>
    public static UnixFileStatus Lstat(string path)
    {
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var s) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                2 => new FileNotFoundException($"'{path}' does not exist.", path),
                13 => new UnauthorizedAccessException($"Permission denied: '{path}'."),
                _ => new IOException($"Cannot read the attributes of '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno),
            };
        }

        return ToStatus(s);
    }

    /// <summary>lstat, or null when the path does not exist.</summary>
    public static UnixFileStatus? TryLstat(string path)
    {
        try
        {
            return Lstat(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// statx of <paramref name="name"/> in the folder <paramref name="dirFd"/> without following a link (an empty name:
    /// the folder itself); null when it does not exist. <paramref name="path"/> is for messages.
    /// </summary>
    internal static UnixFileStatus? TryStatAt(int dirFd, string name, string path)
    {
        if (Statx(dirFd, name, AtSymlinkNoFollow | (name.Length == 0 ? AtEmptyPath : 0), StatxBasicStats, out var s) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                2 or 20 => null,
                13 => throw new UnauthorizedAccessException($"Permission denied: '{path}'."),
                _ => throw new IOException($"Cannot read the attributes of '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno),
            };
        }

        return ToStatus(s);
    }

    /// <summary>The status of an open file (what was opened, whatever its name points to now).</summary>
    public static UnixFileStatus Stat(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return TryStatAt((int)handle.DangerousGetHandle(), "", "(an open file)") ?? throw new IOException("An open file has no status.");
    }

    private static UnixFileStatus ToStatus(StatxBuffer s)
    {
        var modified = DateTimeOffset.FromUnixTimeSeconds(s.MtimeSeconds).AddTicks(s.MtimeNanoseconds / 100);
        return new UnixFileStatus((UnixFileType)(s.Mode & 0xF000), (UnixFileMode)(s.Mode & 0xFFF), (int)s.Uid, (int)s.Gid, (long)s.Size, modified);
    }

    /// <summary>Sets the owner of the path itself (not a link's target). Returns false with the reason on failure.</summary>
    public static bool TryChangeOwner(string path, int uid, int gid, out string? error)
    {
        error = null;
        if (Lchown(path, uid, gid) == 0)
        {
            return true;
        }

        error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        return false;
    }

    /// <summary>Sets the owner of an open file. Returns false with the reason on failure.</summary>
    public static bool TryChangeOwner(Microsoft.Win32.SafeHandles.SafeFileHandle handle, int uid, int gid, out string? error)
    {
        ArgumentNullException.ThrowIfNull(handle);
        error = null;
        if (Fchown((int)handle.DangerousGetHandle(), uid, gid) == 0)
        {
            return true;
        }

        error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        return false;
    }

    /// <summary>
    /// Opens a file to back it up: never through a symbolic link (a file swapped for a link to, say, /etc/shadow after
    /// the walk looked at it must not be read as root), never blocking on a FIFO swapped in, and without the
    /// <c>fstat</c> File.OpenHandle adds. Throws <see cref="IOException"/> (or a subclass) or
    /// <see cref="UnauthorizedAccessException"/> saying why.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenForReading(string path)
    {
        var noFollow = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 0x20000 : 0x8000;
        var fd = Open(path, OpenReadOnly | OpenNoCtty | OpenNonBlock | OpenCloseOnExec | noFollow);
        if (fd >= 0)
        {
            return new Microsoft.Win32.SafeHandles.SafeFileHandle((nint)fd, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            2 => new FileNotFoundException($"'{path}' does not exist.", path),
            13 => new UnauthorizedAccessException($"Permission denied: '{path}'."),
            40 => new IOException($"'{path}' became a symbolic link while it was being backed up; it is not followed.", errno),
            _ => new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno),
        };
    }

    /// <summary>
    /// Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/> (one pread; 0 at the end). Unlike
    /// RandomAccess.Read it does not first ask whether a handle opened by <see cref="OpenForReading"/> can seek (an
    /// lseek per file); a FIFO swapped in fails with an <see cref="IOException"/>.
    /// </summary>
    public static unsafe int ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        ArgumentNullException.ThrowIfNull(handle);
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = Pread((int)handle.DangerousGetHandle(), start, buffer.Length, offset);
                if (read >= 0)
                {
                    return (int)read;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr)
                {
                    throw new IOException($"Cannot read: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> of an open file.</summary>
    public static unsafe void WriteAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, ReadOnlySpan<byte> data, long offset)
    {
        ArgumentNullException.ThrowIfNull(handle);
        fixed (byte* start = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var written = Pwrite((int)handle.DangerousGetHandle(), start + done, data.Length - done, offset + done);
                if (written < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Eintr)
                    {
                        continue;
                    }

                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }

                done += (int)written;
            }
        }
    }

    /// <summary>Sets an open file's modification time (to the 100 ns tick), leaving its access time alone.</summary>
    public static unsafe void SetModifiedTime(Microsoft.Win32.SafeHandles.SafeFileHandle handle, DateTimeOffset modified)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var times = stackalloc Timespec[2];
        Times(times, modified);
        if (Futimens((int)handle.DangerousGetHandle(), times) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot set the modification time: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>Sets the modification time of <paramref name="name"/> in the folder <paramref name="dirFd"/> itself (a link is not followed).</summary>
    internal static unsafe void SetModifiedTimeAt(int dirFd, string name, DateTimeOffset modified, string path)
    {
        var times = stackalloc Timespec[2];
        Times(times, modified);
        if (Utimensat(dirFd, name, times, AtSymlinkNoFollow) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot set the modification time of '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    private static unsafe void Times(Timespec* times, DateTimeOffset modified)
    {
        var ticks = modified.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        times[0] = new Timespec { Seconds = 0, Nanoseconds = UtimeOmit };
        times[1] = new Timespec
        {
            Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest) - (rest < 0 ? 1 : 0),
            Nanoseconds = (rest < 0 ? rest + TimeSpan.TicksPerSecond : rest) * 100,
        };
    }

    /// <summary>True when the process runs as root (owners can then be restored).</summary>
    public static bool IsRoot { get; } = GetEuid() == 0;

    /// <summary>The process's effective user id.</summary>
    public static int EffectiveUserId { get; } = (int)GetEuid();

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int Fchown(int fd, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static unsafe partial nint Pread(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint Pwrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static unsafe partial int Futimens(int fd, Timespec* times);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Utimensat(int dirFd, string path, Timespec* times, int flags);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct statx (linux/stat.h), 256 bytes, the same on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
    }
}
