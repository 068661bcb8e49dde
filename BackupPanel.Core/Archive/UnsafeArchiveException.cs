namespace BackupPanel.Core.Archive;

/// <summary>An archive that tries to write outside its target (path traversal, absolute names, links out).</summary>
public sealed class UnsafeArchiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnsafeArchiveException() { }

    /// <summary>Creates the exception with a message for the user.</summary>
    public UnsafeArchiveException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public UnsafeArchiveException(string message, Exception inner) : base(message, inner) { }
}
