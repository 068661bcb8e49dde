using System.Runtime.InteropServices;

namespace BackupPanel.Core.Archive;

// The Linux calls behind DirectoryHandle. Flag values are those of x86-64 and arm64 Linux (O_DIRECTORY and O_NOFOLLOW
// differ between the two); openat2 is system call 437 on both.
internal sealed partial class DirectoryHandle
{
    internal static partial class Native
    {
        public const int AtFdCwd = -100;
        public const int SymlinkNoFollow = 0x100;
        public const int RemoveDir = 0x200;
        public const int ReadOnly = 0;
        public const int WriteOnly = 1;
        public const int Create = 0x40;
        public const int Exclusive = 0x80;
        public const int NoCtty = 0x100;
        public const int NonBlock = 0x800;
        public const int CloseOnExec = 0x80000;
        public const ulong ResolveNoMagicLinks = 0x02;
        public const ulong ResolveNoSymlinks = 0x04;
        public const ulong ResolveBeneath = 0x08;
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int EACCES = 13;
        public const int EEXIST = 17;
        public const int EXDEV = 18;
        public const int ENOTDIR = 20;
        public const int EISDIR = 21;
        public const int ENOSPC = 28;
        public const int ENOSYS = 38;
        public const int ENOTEMPTY = 39;
        public const int ELOOP = 40;
        private const long SysOpenat2 = 437;

        private static readonly bool IsX86 = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

        public static int Directory { get; } = IsX86 ? 0x10000 : 0x4000;

        public static int NoFollow { get; } = IsX86 ? 0x20000 : 0x8000;

        /// <summary>Cleared the first time the kernel answers ENOSYS (before Linux 5.6).</summary>
        public static bool HasOpenat2 { get; set; } = true;

        public static unsafe int OpenAt2(int dirFd, string path, int flags, ulong resolve)
        {
            var how = stackalloc ulong[3];
            how[0] = (ulong)flags;
            how[1] = 0;
            how[2] = resolve;
            var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = bytes)
            {
                return (int)Syscall(SysOpenat2, dirFd, (nint)p, (nint)how, 24);
            }
        }

        [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
        private static partial long Syscall(long number, long a, nint b, nint c, long d);

        [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int OpenAt(int dirFd, string path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int MkdirAt(int dirFd, string path, int mode);

        [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int UnlinkAt(int dirFd, string path, int flags);

        [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int RenameAt(int fromDirFd, string from, int toDirFd, string to);

        [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int SymlinkAt(string target, int dirFd, string path);

        [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial nint ReadLinkAt(int dirFd, string path, [Out] byte[] buffer, nint size);

        [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int FchownAt(int dirFd, string path, int uid, int gid, int flags);

        [LibraryImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
        public static partial nint FdOpenDir(int fd);

        [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
        public static partial nint ReadDir(nint dir);

        [LibraryImport("libc", EntryPoint = "closedir")]
        public static partial int CloseDir(nint dir);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int fd);

        [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
        private static partial nint RealPathNative(string path, nint resolved);

        [LibraryImport("libc", EntryPoint = "free")]
        private static partial void Free(nint pointer);

        /// <summary>What the path resolves to, links followed (for messages only), or null.</summary>
        public static string? RealPath(string path)
        {
            var resolved = RealPathNative(path, 0);
            if (resolved == 0)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                Free(resolved);
            }
        }
    }
}
