namespace BackupPanel.Core.Archive.Age;

/// <summary>An age X25519 recipient: a public key written <c>age1…</c>.</summary>
public sealed class AgeRecipient : IEquatable<AgeRecipient>
{
    private const string Hrp = "age";
    private readonly byte[] _publicKey;

    internal AgeRecipient(byte[] publicKey) => _publicKey = publicKey;

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Parses <c>age1…</c>; throws <see cref="AgeException"/> with the reason when it is not a valid key.</summary>
    public static AgeRecipient Parse(string text) =>
        TryParse(text, out var recipient) ? recipient : throw new AgeException("Not an age public key: it must look like age1… (62 characters, from age-keygen).");

    /// <summary>Parses <c>age1…</c>; false when it is not a valid X25519 recipient.</summary>
    public static bool TryParse(string? text, out AgeRecipient recipient)
    {
        recipient = null!;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 100 || !trimmed.StartsWith("age1", StringComparison.Ordinal))
        {
            return false;
        }

        var key = Bech32.Decode(trimmed, Hrp);
        if (key is not { Length: 32 })
        {
            return false;
        }

        recipient = new AgeRecipient(key);
        return true;
    }

    /// <summary>The key as age writes it: <c>age1…</c>.</summary>
    public override string ToString() => Bech32.Encode(Hrp, _publicKey);

    /// <inheritdoc />
    public bool Equals(AgeRecipient? other) => other is not null && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AgeRecipient);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_publicKey, 0);
}
