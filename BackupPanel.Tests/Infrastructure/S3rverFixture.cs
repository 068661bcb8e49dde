using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using BackupPanel.Core.Storage.S3;
using BackupPanel.Hosting;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A private S3-compatible server (npm s3rver 3.7.1, installed under scripts/s3rver by make test) on
/// 127.0.0.1 and a free port, keeping its objects in a temp folder. Access key and secret are s3rver's fixed "S3RVER".
/// Its gaps, found here: on Node with OpenSSL 3 a truncated ListObjectsV2 answer (more keys than MaxKeys) is a 500
/// (ERR_OSSL_EVP_UNSUPPORTED, from its continuation token), and ListMultipartUploads and AbortMultipartUpload are not
/// implemented (a part left by a failed upload stays in its folder; S3 itself drops it by the bucket's lifecycle rule);
/// a PUT streams straight into the object's file, so concurrent PUTs of one key interleave.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime, IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private string _dir = "";
    private ServerProcess? _server;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true"); // never probe 169.254.169.254
        _dir = TestPaths.NewTempDir("s3");
        Port = EmbeddedPostgres.FreePort();
        var cli = Path.Combine(TestPaths.RepositoryRoot, "scripts", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: make test installs it (scripts/install-deps.sh --test)");
        _server = new ServerProcess("s3rver", Port, new ProcessStartInfo("node") { ArgumentList = { cli, "-d", _dir, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" } });
        await _server.StartAsync();
    }

    /// <summary>Settings for a new, empty bucket made for the caller.</summary>
    public async Task<S3Settings> NewBucketAsync(string? prefix = null)
    {
        var bucket = "t-" + Guid.NewGuid().ToString("N")[..12];
        using var client = Client();
        await client.PutBucketAsync(bucket);
        return Settings(bucket, prefix);
    }

    public S3Settings Settings(string bucket, string? prefix = null) => new()
    {
        Bucket = bucket, Prefix = prefix ?? "", ServiceUrl = ServiceUrl, Region = "us-east-1", PathStyle = true, AccessKeyId = AccessKey, SecretAccessKey = SecretKey,
    };

    public AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public void Kill() => _server!.Kill();

    public Task RestartAsync() => _server!.StartAsync();

    public void Dispose() => _server?.Dispose();

    public Task DisposeAsync()
    {
        _server?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class S3rverCollectionDefinition : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
