namespace BackupPanel.Core.Archive;

/// <summary>Folders a restore creates for its target, removed again (when still empty) if nothing was put in place.</summary>
internal static class CreatedFolders
{
    /// <summary>Creates <paramref name="folder"/> and returns the topmost folder that did not exist before (null: none).</summary>
    public static string? Create(string folder)
    {
        string? top = null;
        for (var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)); !Directory.Exists(f); f = Path.GetDirectoryName(f)!)
        {
            top = f;
        }

        Directory.CreateDirectory(folder);
        return top;
    }

    /// <summary>
    /// Removes <paramref name="folder"/> and its parents up to <paramref name="top"/>, as long as each is empty; each
    /// through its parent's descriptor, never through a link.
    /// </summary>
    public static void RemoveIfEmpty(string folder, string top)
    {
        for (var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)); f.Length >= top.Length && Path.GetDirectoryName(f) is { } parentPath; f = parentPath)
        {
            try
            {
                using var parent = DirectoryHandle.OpenReal(parentPath);
                if (!parent.RemoveEmptyDirectory(Path.GetFileName(f)))
                {
                    return;
                }
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
