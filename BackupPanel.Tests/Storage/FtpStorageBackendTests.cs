using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Storage;

/// <summary>The storage contract against a real vsftpd over plain FTP.</summary>
[Collection(VsftpdCollectionDefinition.Name)]
public sealed class FtpStorageBackendTests(VsftpdFixture vsftpd) : StorageContractTests
{
    protected override IStorageBackend Backend { get; } = new FtpStorageBackend(vsftpd.Settings(tls: false));

    [Fact]
    public async Task Put_WrongPassword_FailsAtOnceAsPermanentWithoutThePassword()
    {
        var backend = new FtpStorageBackend(vsftpd.Settings(tls: false) with { Password = "Wrong-ftp-password" });

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("refused the login", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-ftp-password", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_RenamesIntoPlaceFromThePartialFolder()
    {
        await PutAsync("dir/one.bin", [1, 2, 3]);

        Assert.Contains("/.partial/../dir/one.bin\"", vsftpd.ProtocolLog, StringComparison.Ordinal); // RNTO relative to the upload's folder
        Assert.DoesNotContain(".part", string.Join(',', (await ListAsync("")).Select(o => o.Key)), StringComparison.Ordinal);
    }
}

/// <summary>The storage contract against the same vsftpd over explicit FTPS with its self-signed certificate pinned.</summary>
[Collection(VsftpdCollectionDefinition.Name)]
public sealed class FtpsStorageBackendTests(VsftpdFixture vsftpd) : StorageContractTests
{
    protected override IStorageBackend Backend { get; } = new FtpStorageBackend(vsftpd.Settings(tls: true));

    [Fact]
    public async Task Put_SelfSignedCertificateNotPinned_IsRefusedNamingItsFingerprint()
    {
        var backend = new FtpStorageBackend(vsftpd.Settings(tls: true) with { Host = "localhost", CertificateSha256 = null });

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains($"certificate (SHA-256 {vsftpd.CertificateSha256}) is not trusted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_OtherCertificatePinned_IsRefused()
    {
        var backend = new FtpStorageBackend(vsftpd.Settings(tls: true) with { Host = "localhost", CertificateSha256 = new string('A', 64) });

        var result = await backend.TestAsync(default);

        Assert.False(result.Success);
        Assert.Contains("is not trusted", result.Message, StringComparison.Ordinal);
    }
}
