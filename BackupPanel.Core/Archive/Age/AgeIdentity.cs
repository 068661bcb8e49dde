using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace BackupPanel.Core.Archive.Age;

/// <summary>An age X25519 identity (private key), written <c>AGE-SECRET-KEY-1…</c>. Its text is a secret.</summary>
public sealed class AgeIdentity
{
    private const string Hrp = "age-secret-key-";
    private readonly byte[] _secret;

    private AgeIdentity(byte[] secret)
    {
        _secret = secret;
        Recipient = new AgeRecipient(AgeHeader.PublicKeyOf(secret));
    }

    /// <summary>The matching public key.</summary>
    public AgeRecipient Recipient { get; }

    /// <summary>A new random identity, as <c>age-keygen</c> makes.</summary>
    public static AgeIdentity Generate() => new(RandomNumberGenerator.GetBytes(X25519.ScalarSize));

    /// <summary>
    /// Reads an identity from <c>AGE-SECRET-KEY-1…</c> or from the text of an age identity file (comment lines
    /// starting with '#' are skipped; the first key is taken).
    /// </summary>
    public static AgeIdentity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        var secret = line is { Length: < 200 } && line.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal) ? Bech32.Decode(line, Hrp) : null;
        return secret is { Length: 32 }
            ? new AgeIdentity(secret)
            : throw new AgeException("Not an age identity: expected a line AGE-SECRET-KEY-1… (an age-keygen key file).");
    }

    /// <summary>The identity file text age and age-keygen use, with the public key as a comment.</summary>
    public string ToIdentityFile(DateTimeOffset createdAt) =>
        $"# created: {createdAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\n# public key: {Recipient}\n{ToSecretString()}\n";

    /// <summary>The secret as <c>AGE-SECRET-KEY-1…</c>. Handle as a secret: never log it.</summary>
    public string ToSecretString() => Bech32.Encode(Hrp, _secret).ToUpperInvariant();

    /// <summary>Never the secret: the public key only.</summary>
    public override string ToString() => $"age identity for {Recipient}";

    /// <summary>X25519 agreement with a peer share; null when the result is all zeros (a malicious share).</summary>
    internal byte[]? Agree(ReadOnlySpan<byte> share)
    {
        var shared = new byte[X25519.PointSize];
        return X25519.CalculateAgreement(_secret, 0, share.ToArray(), 0, shared, 0) ? shared : null;
    }
}
