namespace BackupPanel.Core.Archive;

/// <summary>A backup that cannot be trusted: a component is missing, damaged, truncated or tampered with.</summary>
public sealed class ArchiveCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArchiveCorruptException() { }

    /// <summary>Creates the exception with a message for the user.</summary>
    public ArchiveCorruptException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ArchiveCorruptException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception for one component, naming it.</summary>
    public ArchiveCorruptException(string component, string reason, Exception? inner = null)
        : base($"{component}: {reason}", inner) => Component = component;

    /// <summary>The component at fault, when one is.</summary>
    public string? Component { get; }
}
