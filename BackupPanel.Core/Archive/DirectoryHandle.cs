using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BackupPanel.Core.Archive;

/// <summary>
/// An open folder, and every file operation relative to it, never following a symbolic link. BackupPanel runs as root
/// over folders that tenants write to; a tenant may swap any folder for a link at any moment. So nothing on the data
/// path is reached by a path string: a folder is opened once (<see cref="OpenReal"/> refuses a link in any component of
/// its path), and everything below it is reached from its descriptor — one name at a time with <c>O_NOFOLLOW</c> and
/// the <c>*at()</c> calls, or several at once with <c>openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
/// RESOLVE_NO_MAGICLINKS)</c> (a walk one name at a time where the kernel lacks it). A folder renamed or replaced after
/// it was opened changes nothing: the descriptor still points at the folder that was opened.
/// </summary>
internal sealed partial class DirectoryHandle : IDisposable
{
    private readonly SafeFileHandle _fd;

    private DirectoryHandle(SafeFileHandle fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    /// <summary>The path the folder was opened by, for messages only: never used to reach it again.</summary>
    public string Path { get; }

    private int Fd => (int)_fd.DangerousGetHandle();

    /// <summary>
    /// Opens an absolute path that must be a real folder all the way: a symbolic link in any of its components is
    /// refused (<see cref="IOException"/> saying which path, with the real one). A missing folder is a
    /// <see cref="DirectoryNotFoundException"/>.
    /// </summary>
    public static DirectoryHandle OpenReal(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        using var root = OpenFileSystemRoot();
        return full == "/" ? OpenFileSystemRoot() : root.OpenBeneath(full.TrimStart('/'), full);
    }

    /// <summary>
    /// Opens (creating what is missing, mode 0755) an absolute path that must be a real folder all the way; returns the
    /// topmost folder it created in <paramref name="createdTop"/> (null when it existed).
    /// </summary>
    public static DirectoryHandle CreateReal(string path, out string? createdTop)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        createdTop = null;
        var current = OpenFileSystemRoot();
        try
        {
            var sofar = "";
            foreach (var name in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                sofar += "/" + name;
                var next = current.TryOpenDirectory(name, sofar) ?? current.CreateDirectory(name, (UnixFileMode)0x1ED, sofar, out _);
                createdTop ??= next.CreatedHere ? sofar : null;
                current.Dispose();
                current = next;
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>Set on a handle that <see cref="CreateDirectory(string, UnixFileMode)"/> made the folder for.</summary>
    public bool CreatedHere { get; private set; }

    /// <summary>Opens the child folder <paramref name="name"/> (one name, not followed if it is a link).</summary>
    public DirectoryHandle OpenDirectory(string name) =>
        TryOpenDirectory(name, Child(name)) ?? throw new DirectoryNotFoundException($"'{Child(name)}' does not exist.");

    /// <summary>Opens the child folder <paramref name="name"/>, or returns null when nothing has that name.</summary>
    public DirectoryHandle? TryOpenDirectory(string name) => TryOpenDirectory(name, Child(name));

    /// <summary>
    /// Opens the folder at <paramref name="relative"/> (names separated by '/') beneath this one, refusing any link on
    /// the way and any way out; null when some part of it does not exist.
    /// </summary>
    public DirectoryHandle? TryOpenBeneath(string relative)
    {
        try
        {
            return OpenBeneath(relative, Child(relative));
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Creates the child folder (mode as given, before the umask) and opens it; an existing real folder is opened.</summary>
    public DirectoryHandle CreateDirectory(string name, UnixFileMode mode) => CreateDirectory(name, mode, Child(name), out _);

    /// <summary>The status of the child <paramref name="name"/> itself (a link is not followed), or null when there is none.</summary>
    public UnixFileStatus? Stat(string name)
    {
        CheckName(name);
        return UnixFile.TryStatAt(Fd, name, Child(name));
    }

    /// <summary>The status of this folder.</summary>
    public UnixFileStatus Stat() => UnixFile.TryStatAt(Fd, "", Path) ?? throw new DirectoryNotFoundException($"'{Path}' is gone.");

    /// <summary>The status of <paramref name="relative"/> beneath this folder (its last name not followed), or null when there is none.</summary>
    public UnixFileStatus? StatBeneath(string relative)
    {
        var slash = relative.LastIndexOf('/');
        if (slash < 0)
        {
            return Stat(relative);
        }

        using var parent = TryOpenBeneath(relative[..slash]);
        return parent?.Stat(relative[(slash + 1)..]);
    }

    /// <summary>The names in this folder with their type as the directory entry gives it (Unknown when it does not).</summary>
    public List<(string Name, UnixFileType Type)> List()
    {
        // A descriptor of its own: reading a directory moves its offset.
        var fd = Native.OpenAt(Fd, ".", Native.ReadOnly | Native.Directory | Native.CloseOnExec, 0);
        if (fd < 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), Path, "cannot list");
        }

        var dir = Native.FdOpenDir(fd);
        if (dir == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Native.Close(fd);
            throw Error(errno, Path, "cannot list");
        }

        try
        {
            var entries = new List<(string, UnixFileType)>();
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = Native.ReadDir(dir);
                if (entry == 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? entries : throw Error(errno, Path, "cannot list");
                }

                // struct dirent (64-bit glibc): d_ino 8, d_off 8, d_reclen 2, d_type 1, then the name.
                var name = Marshal.PtrToStringUTF8(entry + 19)!;
                if (name is "." or "..")
                {
                    continue;
                }

                entries.Add((name, Marshal.ReadByte(entry + 18) switch
                {
                    1 => UnixFileType.Fifo,
                    2 => UnixFileType.CharacterDevice,
                    4 => UnixFileType.Directory,
                    6 => UnixFileType.BlockDevice,
                    8 => UnixFileType.RegularFile,
                    10 => UnixFileType.SymbolicLink,
                    12 => UnixFileType.Socket,
                    _ => UnixFileType.Unknown,
                }));
            }
        }
        finally
        {
            _ = Native.CloseDir(dir);
        }
    }

    /// <summary>
    /// Opens the child file to read it: never through a link, never blocking on a FIFO. The caller checks what it got
    /// (<see cref="UnixFile.Stat(SafeFileHandle)"/>): a name can be swapped for anything between a listing and the open.
    /// </summary>
    public SafeFileHandle OpenFile(string name) => OpenAt(name, Native.ReadOnly | Native.NoCtty | Native.NonBlock | Native.CloseOnExec | Native.NoFollow, 0);

    /// <summary>Creates the child file (it must not exist, not even as a link) with <paramref name="mode"/>, for writing.</summary>
    public SafeFileHandle CreateFile(string name, UnixFileMode mode) =>
        OpenAt(name, Native.WriteOnly | Native.Create | Native.Exclusive | Native.NoFollow | Native.CloseOnExec, (int)mode);

    /// <summary>The target of the child link.</summary>
    public string ReadLink(string name)
    {
        CheckName(name);
        var buffer = new byte[4096];
        var length = Native.ReadLinkAt(Fd, name, buffer, buffer.Length);
        return length < 0
            ? throw Error(Marshal.GetLastPInvokeError(), Child(name), "cannot read the link")
            : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    /// <summary>Creates the child link <paramref name="name"/> pointing at <paramref name="target"/> (never followed here).</summary>
    public void CreateSymbolicLink(string name, string target)
    {
        CheckName(name);
        if (Native.SymlinkAt(target, Fd, name) != 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), Child(name), "cannot create the link");
        }
    }

    /// <summary>
    /// Renames the child <paramref name="name"/> to <paramref name="toName"/> in <paramref name="to"/>; an existing
    /// file or link there is replaced in one step (never followed), a folder only when it is empty.
    /// </summary>
    public void Rename(string name, DirectoryHandle to, string toName)
    {
        ArgumentNullException.ThrowIfNull(to);
        CheckName(name);
        CheckName(toName);
        if (Native.RenameAt(Fd, name, to.Fd, toName) != 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), to.Child(toName), $"cannot move {Child(name)} to");
        }
    }

    /// <summary>Removes the child <paramref name="name"/>: a file or link, or a folder with everything in it (links inside are removed, not followed).</summary>
    public void Delete(string name)
    {
        CheckName(name);
        if (Native.UnlinkAt(Fd, name, 0) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == Native.ENOENT)
        {
            return;
        }

        if (errno != Native.EISDIR)
        {
            throw Error(errno, Child(name), "cannot remove");
        }

        using (var child = TryOpenDirectory(name))
        {
            child?.Clear();
        }

        RemoveEmptyDirectory(name);
    }

    /// <summary>Removes everything in this folder, never following a link.</summary>
    public void Clear()
    {
        foreach (var (child, _) in List())
        {
            Delete(child);
        }
    }

    /// <summary>Removes the child folder if it is empty; false when it is not (or is gone).</summary>
    public bool RemoveEmptyDirectory(string name)
    {
        CheckName(name);
        if (Native.UnlinkAt(Fd, name, Native.RemoveDir) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is Native.ENOENT or Native.ENOTEMPTY or Native.EEXIST or Native.ENOTDIR ? false : throw Error(errno, Child(name), "cannot remove");
    }

    /// <summary>Sets the owner of the child itself (a link, not what it points to); false with the reason on failure.</summary>
    public bool TryChangeOwner(string name, int uid, int gid, out string? error)
    {
        CheckName(name);
        error = null;
        if (Native.FchownAt(Fd, name, uid, gid, Native.SymlinkNoFollow) == 0)
        {
            return true;
        }

        error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        return false;
    }

    /// <summary>Sets this folder's owner; false with the reason on failure.</summary>
    public bool TryChangeOwner(int uid, int gid, out string? error) => UnixFile.TryChangeOwner(_fd, uid, gid, out error);

    /// <summary>Sets this folder's permission bits.</summary>
    public void SetMode(UnixFileMode mode) => File.SetUnixFileMode(_fd, mode);

    /// <summary>Sets this folder's modification time.</summary>
    public void SetModifiedTime(DateTimeOffset modified) => UnixFile.SetModifiedTime(_fd, modified);

    /// <summary>Sets the modification time of the child itself (a link, not what it points to).</summary>
    public void SetModifiedTime(string name, DateTimeOffset modified)
    {
        CheckName(name);
        UnixFile.SetModifiedTimeAt(Fd, name, modified, Child(name));
    }

    /// <inheritdoc />
    public void Dispose() => _fd.Dispose();

    /// <summary>A path for messages.</summary>
    public string Child(string name) => Path == "/" ? "/" + name : Path + "/" + name;

    private static DirectoryHandle OpenFileSystemRoot()
    {
        var fd = Native.OpenAt(Native.AtFdCwd, "/", Native.ReadOnly | Native.Directory | Native.CloseOnExec, 0);
        return fd >= 0 ? new DirectoryHandle(new SafeFileHandle(fd, ownsHandle: true), "/") : throw Error(Marshal.GetLastPInvokeError(), "/", "cannot open");
    }

    private DirectoryHandle? TryOpenDirectory(string name, string path)
    {
        CheckName(name);
        var fd = Native.OpenAt(Fd, name, Native.ReadOnly | Native.Directory | Native.NoFollow | Native.CloseOnExec, 0);
        if (fd >= 0)
        {
            return new DirectoryHandle(new SafeFileHandle(fd, ownsHandle: true), path);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Native.ENOENT ? null : throw Error(errno, path, "cannot open the folder");
    }

    private DirectoryHandle CreateDirectory(string name, UnixFileMode mode, string path, out bool created)
    {
        CheckName(name);
        created = Native.MkdirAt(Fd, name, (int)mode) == 0;
        if (!created && Marshal.GetLastPInvokeError() is var errno && errno != Native.EEXIST)
        {
            throw Error(errno, path, "cannot create the folder");
        }

        var handle = TryOpenDirectory(name, path) ?? throw new DirectoryNotFoundException($"'{path}' vanished as it was created.");
        handle.CreatedHere = created;
        return handle;
    }

    private DirectoryHandle OpenBeneath(string relative, string path)
    {
        var names = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            var self = Native.OpenAt(Fd, ".", Native.ReadOnly | Native.Directory | Native.CloseOnExec, 0);
            return self >= 0 ? new DirectoryHandle(new SafeFileHandle(self, ownsHandle: true), Path) : throw Error(Marshal.GetLastPInvokeError(), Path, "cannot open");
        }

        foreach (var name in names)
        {
            CheckName(name);
        }

        if (Native.HasOpenat2)
        {
            var fd = Native.OpenAt2(Fd, string.Join('/', names), Native.ReadOnly | Native.Directory | Native.NoFollow | Native.CloseOnExec,
                Native.ResolveBeneath | Native.ResolveNoSymlinks | Native.ResolveNoMagicLinks);
            if (fd >= 0)
            {
                return new DirectoryHandle(new SafeFileHandle(fd, ownsHandle: true), path);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Native.ENOSYS)
            {
                throw Error(errno, path, "cannot open the folder");
            }

            Native.HasOpenat2 = false;
        }

        // Without openat2: one name at a time, each opened from the one before without following a link.
        var current = this;
        try
        {
            var sofar = Path;
            foreach (var name in names)
            {
                sofar = sofar == "/" ? "/" + name : sofar + "/" + name;
                var next = current.TryOpenDirectory(name, sofar) ?? throw new DirectoryNotFoundException($"'{path}' does not exist.");
                if (!ReferenceEquals(current, this))
                {
                    current.Dispose();
                }

                current = next;
            }

            return new DirectoryHandle(current._fd, path);
        }
        catch
        {
            if (!ReferenceEquals(current, this))
            {
                current.Dispose();
            }

            throw;
        }
    }

    private SafeFileHandle OpenAt(string name, int flags, int mode)
    {
        CheckName(name);
        var fd = Native.OpenAt(Fd, name, flags, mode);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Error(Marshal.GetLastPInvokeError(), Child(name), "cannot open");
    }

    /// <summary>One name: not empty, not '.' or '..', no '/' — anything else would leave the folder.</summary>
    private static void CheckName(string name)
    {
        if (name is null || name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException($"'{name}' is not a plain file name.");
        }
    }

    private static Exception Error(int errno, string path, string what) => errno switch
    {
        Native.ENOENT => new DirectoryNotFoundException($"'{path}' does not exist."),
        Native.EACCES or Native.EPERM => new UnauthorizedAccessException($"Permission denied: '{path}'."),
        Native.ELOOP => new SymbolicLinkRefusedException($"'{path}' is or passes through a symbolic link, which BackupPanel does not follow{RealPathHint(path)}."),
        Native.EXDEV => new SymbolicLinkRefusedException($"'{path}' leads out of its folder, which BackupPanel does not follow."),
        // O_DIRECTORY | O_NOFOLLOW on a link answers ENOTDIR: tell the two apart for the message.
        Native.ENOTDIR when IsLink(path) => new SymbolicLinkRefusedException($"'{path}' is a symbolic link, which BackupPanel does not follow{RealPathHint(path)}."),
        Native.ENOTDIR => new DirectoryNotFoundException($"'{path}' is not a folder (or a part of it is not)."),
        Native.ENOSPC => new IOException($"No space left: {what} '{path}'.", errno),
        _ => new IOException($"{char.ToUpperInvariant(what[0])}{what[1..]} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno),
    };

    private static bool IsLink(string path)
    {
        try
        {
            return UnixFile.TryLstat(path)?.Type == UnixFileType.SymbolicLink;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string RealPathHint(string path) =>
        Native.RealPath(path) is { } real && real != path ? $" (it leads to '{real}'; give the real path if that is what is meant)" : "";
}

/// <summary>A symbolic link (or a way out) met where BackupPanel never follows one: on the data path.</summary>
public sealed class SymbolicLinkRefusedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public SymbolicLinkRefusedException() { }

    /// <summary>Creates the exception with a message for the user.</summary>
    public SymbolicLinkRefusedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SymbolicLinkRefusedException(string message, Exception inner) : base(message, inner) { }
}
