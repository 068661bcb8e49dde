namespace BackupPanel.Core.Storage;

/// <summary>How a storage operation failed; decides whether a retry can help.</summary>
public enum StorageErrorKind
{
    /// <summary>The key does not exist.</summary>
    NotFound,

    /// <summary>Retrying will not help: wrong credentials, missing bucket or root, no permission, disk full.</summary>
    Permanent,

    /// <summary>May work on a retry: network errors, timeouts, server-side 5xx.</summary>
    Transient,
}

/// <summary>The only exception a storage backend throws. Its message is written for the user and holds no secret.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageException(StorageErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    /// <summary>Creates a Permanent error (for serializers and analyzers; prefer the kind-taking constructor).</summary>
    public StorageException() : this(StorageErrorKind.Permanent, "Storage error.") { }

    /// <summary>Creates a Permanent error with a message.</summary>
    public StorageException(string message) : this(StorageErrorKind.Permanent, message) { }

    /// <summary>Creates a Permanent error with a message and cause.</summary>
    public StorageException(string message, Exception inner) : this(StorageErrorKind.Permanent, message, inner) { }

    /// <summary>How the operation failed.</summary>
    public StorageErrorKind Kind { get; }
}
