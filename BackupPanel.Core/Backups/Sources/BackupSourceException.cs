namespace BackupPanel.Core.Backups.Sources;

/// <summary>A part of a domain could not be read: a missing root, an unreachable database, a dump tool that failed.</summary>
public sealed class BackupSourceException : Exception
{
    public BackupSourceException() { }

    public BackupSourceException(string message) : base(message) { }

    public BackupSourceException(string message, Exception inner) : base(message, inner) { }
}
