namespace BackupPanel.Core.Archive.Age;

/// <summary>An age file or key that cannot be used: malformed, tampered, truncated, or for other recipients.</summary>
public sealed class AgeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgeException() { }

    /// <summary>Creates the exception with a message for the user.</summary>
    public AgeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AgeException(string message, Exception inner) : base(message, inner) { }
}
