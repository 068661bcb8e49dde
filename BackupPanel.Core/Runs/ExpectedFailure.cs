using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Runs;

/// <summary>
/// The one classification of what goes wrong in a run or a command. An expected failure comes from the world the panel
/// works in — the data, a destination, the file system, a database server, a tool — and is reported in its own words
/// (the run fails with the message, a command exits with its code). Anything else is a bug in the panel: it fails the
/// run as "Unexpected error" and is thrown on, so the job keeps the stack trace.
/// </summary>
public static class ExpectedFailure
{
    /// <summary>
    /// Damaged or hostile data: a corrupt, truncated, tampered or unsafe archive, bytes that do not decompress or
    /// parse, or an age file this key cannot open.
    /// </summary>
    public static bool IsDamage(Exception ex) =>
        ex is ArchiveCorruptException or UnsafeArchiveException or AgeException or InvalidDataException or EndOfStreamException or FormatException;

    /// <summary>A copy that cannot be read or does not check out: another copy of the same backup may still be good.</summary>
    public static bool IsBadCopy(Exception ex) => ex is StorageException or ArchiveCorruptException;

    /// <summary>
    /// Any expected failure: <see cref="IsDamage"/>, a <see cref="RunFailedException"/> (a run's own words: a missing
    /// root, a database that does not answer, a refused archive), a storage error, or the file system's (missing,
    /// full, not permitted).
    /// </summary>
    public static bool Is(Exception ex) =>
        IsDamage(ex) || ex is RunFailedException or StorageException or IOException or UnauthorizedAccessException;
}
