namespace BackupPanel.Core.Import;

/// <summary>What kind of thing an archive entry is.</summary>
public enum WalkEntryKind
{
    File,
    Directory,
    SymbolicLink,
    HardLink,
}

/// <summary>
/// One entry of an archive as the importers see it: a safe relative path ('/' separated, no '.' or '..'), where a
/// nested archive's entries appear under the nested archive's path without its extension (homedir.tar → homedir/).
/// </summary>
public sealed record WalkEntry(string Path, WalkEntryKind Kind, long Size, string? LinkTarget, DateTimeOffset Modified, UnixFileMode Mode)
{
    /// <summary>The path relative to <paramref name="prefix"/> (which ends with '/'), or null when the entry is not under it.</summary>
    public string? Under(string prefix) => Path.StartsWith(prefix, StringComparison.Ordinal) && Path.Length > prefix.Length ? Path[prefix.Length..] : null;
}
