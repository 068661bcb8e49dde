using System.Security.Cryptography;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Archive;

public sealed class AgeTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("age");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(AgeEncryptingStream.ChunkSize)]
    [InlineData(AgeEncryptingStream.ChunkSize + 1)]
    [InlineData(3 * AgeEncryptingStream.ChunkSize)]
    [InlineData(1_000_003)]
    public async Task Encrypt_ThenDecryptWithAge_GivesThePlaintext(int size)
    {
        var (keyFile, identity) = await KeygenAsync();
        var plain = RandomNumberGenerator.GetBytes(size);
        var encrypted = Path.Combine(_dir, "data.age");
        await using (var file = File.Create(encrypted))
        await using (var age = new AgeEncryptingStream(file, [identity.Recipient, AgeIdentity.Generate().Recipient]))
        {
            await age.WriteAsync(plain);
        }

        var result = await Shell.BashAsync($"age -d -i '{keyFile}' '{encrypted}' > '{_dir}/out'");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(plain, await File.ReadAllBytesAsync(Path.Combine(_dir, "out")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AgeEncryptingStream.ChunkSize)]
    [InlineData(2_500_000)]
    public async Task Decrypt_FileEncryptedByAge_GivesThePlaintext(int size)
    {
        var (_, identity) = await KeygenAsync();
        var plain = RandomNumberGenerator.GetBytes(size);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "in"), plain);
        (await Shell.RunAsync("age", ["-r", identity.Recipient.ToString(), "-o", Path.Combine(_dir, "in.age"), Path.Combine(_dir, "in")])).EnsureSuccess("age -r");

        Assert.Equal(plain, Decrypt(await File.ReadAllBytesAsync(Path.Combine(_dir, "in.age")), identity));
    }

    [Fact]
    public async Task Parse_AgeKeygenOutput_DerivesTheSamePublicKey()
    {
        var keyFile = Path.Combine(_dir, "key.txt");
        var printed = (await Shell.RunAsync("age-keygen", ["-o", keyFile])).Error; // "Public key: age1..."

        var identity = AgeIdentity.Parse(await File.ReadAllTextAsync(keyFile));

        Assert.Contains(identity.Recipient.ToString(), printed, StringComparison.Ordinal);
        Assert.Equal(identity.ToSecretString(), AgeIdentity.Parse(identity.ToIdentityFile(DateTimeOffset.UtcNow)).ToSecretString());
        Assert.DoesNotContain("AGE-SECRET", identity.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_WrongIdentity_SaysNoIdentityMatches()
    {
        var data = Encrypt(RandomNumberGenerator.GetBytes(100), AgeIdentity.Generate().Recipient);

        var ex = Assert.Throws<AgeException>(() => Decrypt(data, AgeIdentity.Generate()));
        Assert.Contains("No identity matches", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("header")]
    [InlineData("truncate-chunk")]
    [InlineData("drop-last-chunk")]
    [InlineData("trailing")]
    public void Decrypt_DamagedFile_Throws(string damage)
    {
        var identity = AgeIdentity.Generate();
        var data = Encrypt(RandomNumberGenerator.GetBytes((3 * AgeEncryptingStream.ChunkSize) + 100), identity.Recipient);
        var headerEnd = Array.IndexOf(data, (byte)'-', 30) + 10;
        byte[] damaged = damage switch
        {
            "payload" => Flip(data, data.Length - 500),
            "header" => Flip(data, headerEnd - 30),
            "truncate-chunk" => data[..^50],
            "drop-last-chunk" => data[..^(100 + 16)],
            _ => [.. data, 0],
        };

        Assert.Throws<AgeException>(() => Decrypt(damaged, identity));
    }

    [Theory]
    [InlineData("")]
    [InlineData("age1")]
    [InlineData("age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")]
    [InlineData("AGE-SECRET-KEY-1QQQ")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")]
    public void ParseRecipient_Malformed_IsRefused(string text)
    {
        Assert.False(AgeRecipient.TryParse(text, out _));
        Assert.Throws<AgeException>(() => AgeRecipient.Parse(text));
    }

    [Fact]
    public void ParseRecipient_ChecksumError_IsRefused()
    {
        var good = AgeIdentity.Generate().Recipient.ToString();
        var bad = good[..^1] + (good[^1] == 'q' ? 'p' : 'q');

        Assert.False(AgeRecipient.TryParse(bad, out _));
        Assert.True(AgeRecipient.TryParse(good, out var parsed));
        Assert.Equal(good, parsed.ToString());
    }

    private async Task<(string KeyFile, AgeIdentity Identity)> KeygenAsync()
    {
        var keyFile = Path.Combine(_dir, $"key-{Guid.NewGuid():N}.txt");
        (await Shell.RunAsync("age-keygen", ["-o", keyFile])).EnsureSuccess("age-keygen");
        return (keyFile, AgeIdentity.Parse(await File.ReadAllTextAsync(keyFile)));
    }

    private static byte[] Encrypt(byte[] plain, AgeRecipient recipient)
    {
        using var output = new MemoryStream();
        using (var age = new AgeEncryptingStream(output, [recipient], leaveOpen: true))
        {
            age.Write(plain);
        }

        return output.ToArray();
    }

    private static byte[] Decrypt(byte[] data, AgeIdentity identity)
    {
        using var age = new AgeDecryptingStream(new MemoryStream(data), [identity]);
        using var output = new MemoryStream();
        age.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = data.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
