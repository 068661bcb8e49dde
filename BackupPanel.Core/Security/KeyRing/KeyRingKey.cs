using System.Security.Cryptography;

namespace BackupPanel.Core.Security.KeyRing;

/// <summary>
/// The key that encrypts the Data Protection key ring at rest: 32 random bytes in a 0600 file outside the database
/// (<c>&lt;data&gt;/keyring.key</c> by default). A dump of the database alone decrypts no secret; the file must be
/// kept with the backups of the panel itself and copied to every node (docs/OPERATIONS.md).
/// </summary>
public sealed class KeyRingKey
{
    private readonly byte[] _key;

    private KeyRingKey(byte[] key, string path)
    {
        _key = key;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Reads the key file, or makes one the first time: written whole to a temporary file, then moved into place, so
    /// that processes starting together (a panel and its workers) all end up with the one key that won.
    /// </summary>
    public static KeyRingKey LoadOrCreate(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".new";
            using (var file = new FileStream(temp, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
            using (var writer = new StreamWriter(file))
            {
                writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp); // another process made it first: use that one
            }
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            key = [];
        }

        if (key.Length != 32) throw new InvalidDataException($"{path} is not a key ring key (32 bytes, base64).");
        return new KeyRingKey(key, path);
    }

    /// <summary>AES-256-GCM: nonce (12) ‖ tag (16) ‖ ciphertext.</summary>
    internal byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = new byte[12 + 16 + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return sealedBytes;
    }

    /// <summary>The plaintext, or a <see cref="CryptographicException"/> when another key sealed it or it was altered.</summary>
    internal byte[] Open(ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length < 28) throw new CryptographicException("The sealed key ring entry is truncated.");
        var plaintext = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(sealedBytes[..12], sealedBytes[28..], sealedBytes.Slice(12, 16), plaintext);
        return plaintext;
    }
}
