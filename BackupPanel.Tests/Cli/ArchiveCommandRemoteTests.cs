using BackupPanel.Core.Archive.Age;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Cli;

/// <summary>`BackupPanel archive …` with destination URLs against the suite's real SFTP, FTPS and S3 servers.</summary>
public sealed class ArchiveCommandRemoteTests(SshdFixture sshd, VsftpdFixture vsftpd, S3rverFixture s3)
    : IClassFixture<SshdFixture>, IClassFixture<VsftpdFixture>, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("cli-remote");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Kinds => ["sftp", "ftps", "s3"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateVerifyExtract_ThroughAUrl_TreeIdentical(string kind)
    {
        var source = TestTrees.CreateTricky(Path.Combine(_dir, "src"), 1 << 20);
        var identity = AgeIdentity.Generate();
        var keyFile = Path.Combine(_dir, "key.txt");
        await File.WriteAllTextAsync(keyFile, identity.ToIdentityFile(DateTimeOffset.UtcNow));
        var (url, options, environment) = await WhereAsync(kind);

        var create = await Shell.PanelAsync(["archive", "create", "--source", source, "--out", url, "--recipient", identity.Recipient.ToString(), "--sign-with", keyFile, .. options], environment);
        var verify = await Shell.PanelAsync(["archive", "verify", "--from", url, "--identity", keyFile, .. options], environment);
        var extract = await Shell.PanelAsync(["archive", "extract", "--from", url, "--to", Path.Combine(_dir, "restored"), "--identity", keyFile, .. options], environment);
        var again = await Shell.PanelAsync(["archive", "create", "--source", source, "--out", url, .. options], environment);

        Assert.True(create.ExitCode == 0, create.Error);
        Assert.True(verify.ExitCode == 0, verify.Error);
        Assert.True(extract.ExitCode == 0, extract.Error);
        Assert.Equal(TreeSnapshot.Take(source), TreeSnapshot.Take(Path.Combine(_dir, "restored")));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a backup", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SftpWithoutHostKey_RefusedWithUsageExit()
    {
        var result = await Shell.PanelAsync(["archive", "create", "--source", _dir, "--out", $"sftp://{SshdFixture.User}@127.0.0.1:{sshd.Port}/~/x"],
            new Dictionary<string, string> { ["BACKUPPANEL_SFTP_PASSWORD"] = SshdFixture.Password });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--sftp-host-key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PasswordInTheUrl_RefusedAndNotEchoed()
    {
        var result = await Shell.PanelAsync(["archive", "create", "--source", _dir, "--out", $"sftp://{SshdFixture.User}:Typed-password-9@127.0.0.1:{sshd.Port}/~/x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("BACKUPPANEL_SFTP_PASSWORD", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Typed-password-9", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_S3MissingBucket_FailsWithExitOneAndAClearReason()
    {
        var result = await Shell.PanelAsync(["archive", "verify", "--from", $"s3://no-such-bucket/x?endpoint={s3.ServiceUrl}"],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bucket 'no-such-bucket' does not exist", result.Error, StringComparison.Ordinal);
    }

    private async Task<(string Url, string[] Options, Dictionary<string, string> Environment)> WhereAsync(string kind)
    {
        var folder = "cli-" + Guid.NewGuid().ToString("N")[..8];
        return kind switch
        {
            "sftp" => ($"sftp://{SshdFixture.User}@127.0.0.1:{sshd.Port}/~/{folder}", ["--sftp-host-key", sshd.HostKey],
                new() { ["BACKUPPANEL_SFTP_PASSWORD"] = SshdFixture.Password }),
            "ftps" => ($"ftps://{VsftpdFixture.User}@127.0.0.1:{vsftpd.Port}/{folder}", ["--ftps-certificate", vsftpd.CertificateSha256],
                new() { ["BACKUPPANEL_FTP_PASSWORD"] = VsftpdFixture.Password }),
            _ => ($"s3://{(await s3.NewBucketAsync()).Bucket}/{folder}?endpoint={s3.ServiceUrl}&region=us-east-1", [],
                new() { ["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey }),
        };
    }
}
