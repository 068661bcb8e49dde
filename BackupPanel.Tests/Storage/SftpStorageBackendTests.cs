using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Sftp;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Storage;

/// <summary>The storage contract against a real OpenSSH server, plus what is SFTP's own: keys, host-key pinning.</summary>
[Collection(SshdCollectionDefinition.Name)]
public sealed class SftpStorageBackendTests(SshdFixture sshd) : StorageContractTests, IAsyncDisposable
{
    private readonly SftpStorageBackend _backend = new(sshd.Settings());

    protected override IStorageBackend Backend => _backend;

    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    [Fact]
    public async Task Put_WithEd25519KeyOnly_Works()
    {
        await using var backend = new SftpStorageBackend(sshd.Settings() with { Password = null, PrivateKey = sshd.Ed25519Key });

        var result = await backend.TestAsync(default);

        Assert.True(result.Success, result.Message);
    }

    [Fact]
    public async Task Put_WithPemRsaKeyAndPassphrase_Works()
    {
        await using var backend = new SftpStorageBackend(sshd.Settings() with { Password = null, PrivateKey = sshd.RsaPemKey, PrivateKeyPassphrase = sshd.KeyPassphrase });

        var result = await backend.TestAsync(default);

        Assert.True(result.Success, result.Message);
    }

    [Fact]
    public async Task Put_WrongPassword_FailsAtOnceAsPermanentWithoutThePassword()
    {
        await using var backend = new SftpStorageBackend(sshd.Settings() with { Password = "Wrong-password-123" });

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("refused the login", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-password-123", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_GarbageKey_SaysTheKeyCannotBeRead()
    {
        await using var backend = new SftpStorageBackend(sshd.Settings() with { Password = null, PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----" });

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("private key could not be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_ChangedHostKey_IsRefusedNamingBothKeys()
    {
        const string Pinned = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        await using var backend = new SftpStorageBackend(sshd.Settings() with { HostKeySha256 = Pinned });

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains($"host key has changed: it is {sshd.HostKey}, but {Pinned} is pinned", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_NoPinnedHostKey_IsRefusedUntilConfirmed()
    {
        await using var backend = new SftpStorageBackend(sshd.Settings() with { HostKeySha256 = null });

        var result = await backend.TestAsync(default);

        Assert.False(result.Success);
        Assert.Contains($"host key {sshd.HostKey} is not confirmed yet", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchHostKey_GivesTheFingerprintSshKeygenPrints()
    {
        var key = await SftpStorageBackend.FetchHostKeyAsync("127.0.0.1", sshd.Port, TimeSpan.FromSeconds(10), default);

        Assert.Equal(sshd.HostKey, key);
    }

    [Fact]
    public async Task FetchHostKey_NothingListening_TransientError()
    {
        var port = BackupPanel.Hosting.EmbeddedPostgres.FreePort();

        var ex = await Assert.ThrowsAsync<StorageException>(() => SftpStorageBackend.FetchHostKeyAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), default));

        Assert.Equal(StorageErrorKind.Transient, ex.Kind);
    }

    [Fact]
    public async Task Put_AbsoluteRootThatDoesNotExistYet_IsCreated()
    {
        var root = Path.Combine(sshd.Home, "made", "on-first-put");
        await using var backend = new SftpStorageBackend(sshd.Settings(root));

        await PutAsync("x/y.bin", [7]);
        await backend.PutAsync("x/y.bin", new MemoryStream([7]), default);

        Assert.Equal([7], await File.ReadAllBytesAsync(Path.Combine(root, "x", "y.bin")));
    }
}
