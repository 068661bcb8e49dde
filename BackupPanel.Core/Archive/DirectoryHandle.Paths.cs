namespace BackupPanel.Core.Archive;

// Whole-path conveniences on top of the descriptor calls, for the few places that start from a path string.
internal sealed partial class DirectoryHandle
{
    /// <summary>Opens an existing regular file for reading, with no link in any part of its path.</summary>
    public static FileStream OpenRealFile(string path, int bufferSize = 1 << 16)
    {
        var full = System.IO.Path.GetFullPath(path);
        using var parent = OpenReal(System.IO.Path.GetDirectoryName(full) ?? "/");
        var handle = parent.OpenFile(System.IO.Path.GetFileName(full));
        if (UnixFile.Stat(handle).Type != UnixFileType.RegularFile)
        {
            handle.Dispose();
            throw new IOException($"'{full}' is not a regular file.");
        }

        return new FileStream(handle, FileAccess.Read, bufferSize);
    }

    /// <summary>Removes a folder and everything in it, never following a link (the folder itself included).</summary>
    public static void DeleteTree(string path)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        if (System.IO.Path.GetDirectoryName(full) is not { } parentPath)
        {
            throw new IOException("The root folder is never removed.");
        }

        try
        {
            using var parent = OpenReal(parentPath);
            parent.Delete(System.IO.Path.GetFileName(full));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing there.
        }
    }

    /// <summary>The bytes of all regular files beneath the folder (links not followed, unreadable folders skipped).</summary>
    public long SizeOfFiles()
    {
        long total = 0;
        List<(string Name, UnixFileType Type)> entries;
        try
        {
            entries = List();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var (name, _) in entries)
        {
            try
            {
                switch (Stat(name))
                {
                    case { Type: UnixFileType.RegularFile } file:
                        total += file.Size;
                        break;
                    case { Type: UnixFileType.Directory }:
                        using (var child = OpenDirectory(name))
                        {
                            total += child.SizeOfFiles();
                        }

                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Changed or unreadable: an estimate does without it.
            }
        }

        return total;
    }
}
