namespace BackupPanel.Core.Storage;

/// <summary>Rules for object keys, the same for every backend.</summary>
public static class StorageKey
{
    /// <summary>The longest key accepted (S3's limit, in UTF-8 bytes).</summary>
    public const int MaxBytes = 1024;

    /// <summary>
    /// Throws <see cref="StorageErrorKind.Permanent"/> unless <paramref name="key"/> is a relative '/'-separated path
    /// without empty, "." or ".." segments, backslashes or control characters: a key can never leave the root.
    /// </summary>
    public static string Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(key) > MaxBytes)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"Invalid object key (empty or longer than {MaxBytes} bytes).");
        }

        if (key.Any(c => char.IsControl(c) || c == '\\'))
        {
            throw new StorageException(StorageErrorKind.Permanent, "Invalid object key: control characters and backslashes are not allowed.");
        }

        if (key.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new StorageException(StorageErrorKind.Permanent, $"Invalid object key '{key}': empty, '.' or '..' segments are not allowed.");
        }

        return key;
    }
}
