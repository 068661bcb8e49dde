using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackupPanel.Core.Archive.Age;

namespace BackupPanel.Core.Archive;

/// <summary>How a manifest's signature checked out.</summary>
public enum SignatureState
{
    /// <summary>Signed by one of the given keys, and it matches.</summary>
    Valid,

    /// <summary>There is a signature, by one of the given keys, and it does not match: the manifest was changed or forged.</summary>
    Invalid,

    /// <summary>No <c>manifest.sig</c> beside the manifest: unsigned.</summary>
    Missing,

    /// <summary>Signed, but by a key not given (or no key was given): it cannot be checked here.</summary>
    UnknownKey,
}

/// <summary>
/// <c>manifest.sig</c>: the panel's HMAC-SHA256 over the exact bytes of <c>manifest.json</c>, written just before it.
/// The MAC key is derived from the panel's age identity (in the recovery kit), so whoever can decrypt the backups can
/// check them, and whoever only holds the destination cannot forge one — age encryption to the panel's public key
/// proves nothing about who wrote a component, this does. docs/FORMAT.md shows the check with openssl.
/// </summary>
public static class ManifestSignature
{
    /// <summary>The file's name in a backup folder.</summary>
    public const string FileName = "manifest.sig";

    private const string Context = "backuppanel-manifest-v1";

    /// <summary>The signature file for <paramref name="manifestJson"/>, by <paramref name="key"/>.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> manifestJson, AgeIdentity key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var file = new SignatureFile
        {
            Key = key.Recipient.ToString(),
            Mac = Convert.ToHexStringLower(HMACSHA256.HashData(MacKey(key), manifestJson)),
        };
        return JsonSerializer.SerializeToUtf8Bytes(file, SignatureJson.Default.SignatureFile);
    }

    /// <summary>Checks <paramref name="signature"/> (null: none was found) against <paramref name="manifestJson"/> with the keys given.</summary>
    public static SignatureState Check(ReadOnlySpan<byte> manifestJson, byte[]? signature, IReadOnlyList<AgeIdentity> keys) =>
        Check(manifestJson, signature, keys, out _);

    /// <summary>Like <see cref="Check(ReadOnlySpan{byte}, byte[], IReadOnlyList{AgeIdentity})"/>, also giving the signing key it names (age1…), if any.</summary>
    public static SignatureState Check(ReadOnlySpan<byte> manifestJson, byte[]? signature, IReadOnlyList<AgeIdentity> keys, out string? signedBy)
    {
        ArgumentNullException.ThrowIfNull(keys);
        signedBy = null;
        if (signature is null)
        {
            return SignatureState.Missing;
        }

        SignatureFile? file;
        try
        {
            file = signature.Length <= 4096 ? JsonSerializer.Deserialize(signature, SignatureJson.Default.SignatureFile) : null;
        }
        catch (JsonException)
        {
            file = null;
        }

        if (file is not { Format: SignatureFile.FormatName, Version: 1, Algorithm: "hmac-sha256" } || file.Mac?.Length != 64 || file.Key is null)
        {
            return SignatureState.Invalid; // not a signature this panel writes: as good as a wrong one
        }

        signedBy = file.Key.Length is > 0 and <= 100 && file.Key.All(char.IsAsciiLetterOrDigit) ? file.Key : "an unreadable key";
        if (keys.FirstOrDefault(k => k.Recipient.ToString() == file.Key) is not { } key)
        {
            return SignatureState.UnknownKey;
        }

        var expected = HMACSHA256.HashData(MacKey(key), manifestJson);
        byte[] given;
        try
        {
            given = Convert.FromHexString(file.Mac);
        }
        catch (FormatException)
        {
            return SignatureState.Invalid;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureState.Valid : SignatureState.Invalid;
    }

    /// <summary>HMAC-SHA256(key = the identity's AGE-SECRET-KEY-1… text, message = "backuppanel-manifest-v1").</summary>
    private static byte[] MacKey(AgeIdentity key) => HMACSHA256.HashData(Encoding.ASCII.GetBytes(key.ToSecretString()), Encoding.ASCII.GetBytes(Context));

    /// <summary>manifest.sig as stored.</summary>
    internal sealed record SignatureFile
    {
        public const string FormatName = "backuppanel-signature";

        public string Format { get; init; } = FormatName;

        public int Version { get; init; } = 1;

        public string Algorithm { get; init; } = "hmac-sha256";

        /// <summary>The public key (age1…) of the panel identity the MAC key is derived from.</summary>
        public string Key { get; init; } = "";

        /// <summary>Lower-case hex HMAC-SHA256 of manifest.json's bytes.</summary>
        public string Mac { get; init; } = "";
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ManifestSignature.SignatureFile))]
internal sealed partial class SignatureJson : System.Text.Json.Serialization.JsonSerializerContext;
