using BackupPanel.Core.Destinations;
using BackupPanel.Core.Destinations.Kinds.Ftp;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Destinations.Kinds.S3;
using BackupPanel.Core.Destinations.Kinds.Sftp;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

/// <summary>Destinations on the suite's real SFTP, FTP and S3 servers, created through the panel's own service.</summary>
public static class RemoteDestinationBed
{
    public static DestinationInput Sftp(SshdFixture sshd, string? password = null) => new()
    {
        Name = "SFTP " + Guid.NewGuid().ToString("N")[..8],
        Settings = new SftpInput
        {
            Host = "127.0.0.1", Port = sshd.Port, UserName = SshdFixture.User, Password = password ?? SshdFixture.Password, HostKeySha256 = sshd.HostKey,
            Path = "b-" + Guid.NewGuid().ToString("N")[..8],
        },
    };

    public static DestinationInput Ftps(VsftpdFixture vsftpd) => new()
    {
        Name = "FTPS " + Guid.NewGuid().ToString("N")[..8],
        Settings = new FtpInput
        {
            Host = "127.0.0.1", Port = vsftpd.Port, UserName = VsftpdFixture.User, Password = VsftpdFixture.Password, ExplicitTls = true,
            CertificateSha256 = vsftpd.CertificateSha256, Path = "b-" + Guid.NewGuid().ToString("N")[..8],
        },
    };

    public static async Task<DestinationInput> S3Async(S3rverFixture s3)
    {
        var settings = await s3.NewBucketAsync();
        return new DestinationInput
        {
            Name = "S3 " + Guid.NewGuid().ToString("N")[..8],
            Settings = new S3Input
            {
                Bucket = settings.Bucket, Region = "us-east-1", ServiceUrl = s3.ServiceUrl, PathStyle = true, AccessKeyId = S3rverFixture.AccessKey,
                SecretAccessKey = S3rverFixture.SecretKey, Path = "panel",
            },
        };
    }

    /// <summary>A local folder destination's form.</summary>
    public static DestinationInput Local(string path, string? name = null) => new()
    {
        Name = (name ?? "Local ") + Guid.NewGuid().ToString("N")[..8], Settings = new LocalInput { Path = path },
    };

    /// <summary>The folder (or prefix) a remote destination's form points at.</summary>
    public static string FolderOf(DestinationInput input) => input.Settings switch
    {
        SftpInput sftp => sftp.Path,
        FtpInput ftp => ftp.Path,
        S3Input s3 => s3.Path,
        LocalInput local => local.Path,
        _ => throw new ArgumentException("no such kind", nameof(input)),
    };

    public static async Task<Guid> CreateAsync(AppFixture app, DestinationInput input)
    {
        var result = await app.Services.GetRequiredService<DestinationService>().CreateAsync(input, BackupTestBed.Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Id!.Value;
    }

    /// <summary>Quick retries for the suite (the product waits 5 s, 10 s): outages are still retried, then reported.</summary>
    public static DestinationStorage QuickRetries(AppFixture app)
    {
        var storage = app.Services.GetRequiredService<DestinationStorage>();
        storage.RetryPolicy = new Core.Storage.RetryPolicy { Attempts = 3, FirstDelay = TimeSpan.FromMilliseconds(200) };
        return storage;
    }
}
