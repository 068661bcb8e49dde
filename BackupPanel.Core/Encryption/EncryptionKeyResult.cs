namespace BackupPanel.Core.Encryption;

/// <summary>The outcome of adding or removing a key: its id, or the field and the reason.</summary>
public sealed record EncryptionKeyResult(Guid? Id, string? Field, string? Error)
{
    public bool Succeeded => Error is null;

    public static EncryptionKeyResult Failed(string field, string error) => new(null, field, error);
}
