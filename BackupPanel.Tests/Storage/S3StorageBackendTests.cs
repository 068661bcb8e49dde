using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.S3;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Storage;

/// <summary>The storage contract against a real S3-compatible server (s3rver), plus S3's own: multipart, prefixes, links.</summary>
[Collection(S3rverCollectionDefinition.Name)]
public sealed class S3StorageBackendTests(S3rverFixture s3) : StorageContractTests, IAsyncDisposable
{
    private readonly S3Settings _settings = s3.NewBucketAsync(prefix: "panel/one").GetAwaiter().GetResult();
    private S3StorageBackend? _backend;

    protected override IStorageBackend Backend => _backend ??= new S3StorageBackend(_settings);

    // s3rver 3.7.1 streams every PUT straight into the object's file, so two PUTs of one key at once interleave (and the
    // SDK's MD5 check then rightly refuses the read). S3 itself replaces objects atomically; that is the service's part.
    protected override bool ServerReplacesAtomically => false;

    public ValueTask DisposeAsync() => _backend?.DisposeAsync() ?? ValueTask.CompletedTask;

    [Fact]
    public async Task Put_KeepsObjectsUnderThePrefix()
    {
        await PutAsync("a/b.bin", [1, 2]);

        using var client = s3.Client();
        var listed = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = _settings.Bucket });
        Assert.Equal(["panel/one/a/b.bin"], listed.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Put_MissingBucket_FailsAtOnceAsPermanent()
    {
        await using var backend = new S3StorageBackend(s3.Settings("no-such-bucket-here"));

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("bucket 'no-such-bucket-here' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stat_MissingKeyAmongOtherObjects_IsNull()
    {
        // s3rver answers a truncated listing with an internal error, so the bucket check must not list (regression).
        await PutAsync("one.bin", [1]);
        await PutAsync("two.bin", [2]);
        await PutAsync("three.bin", [3]);

        Assert.Null(await Backend.StatAsync("missing.bin", default));
        Assert.Equal(1, (await Backend.StatAsync("two.bin", default))?.Size);
    }

    [Fact]
    public async Task Stat_MissingBucket_FailsAsPermanentNamingTheBucket()
    {
        await using var backend = new S3StorageBackend(s3.Settings("no-such-bucket-either"));

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.StatAsync("a.bin", default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("bucket 'no-such-bucket-either' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_ContentFailsAfterSeveralParts_LeavesNothing()
    {
        // Fails while later parts are read and earlier ones are still in flight (PartsInFlight).
        var failAfter = (S3StorageBackend.FirstPartSize * 3L) + 1_000_000;

        await Assert.ThrowsAsync<IOException>(() => Backend.PutAsync("multi/failing.bin", new FailingStream(failAfter), default));

        Assert.Null(await Backend.StatAsync("multi/failing.bin", default));
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task Put_CancelledDuringMultipart_LeavesNothingAndCanPutAgain()
    {
        using var cts = new CancellationTokenSource();
        var source = new GeneratedStream(1L << 40, null) { OnRead = total => { if (total > S3StorageBackend.FirstPartSize * 2L) cts.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Backend.PutAsync("multi/cancelled.bin", source, cts.Token));
        await PutAsync("multi/after.bin", [4, 2]);

        Assert.Null(await Backend.StatAsync("multi/cancelled.bin", default));
        Assert.Equal(["multi/after.bin"], (await ListAsync("multi/")).Select(o => o.Key));
    }

    [Fact]
    public async Task Put_WrongCredentials_FailsAtOnceAsPermanentWithoutTheSecret()
    {
        await using var backend = new S3StorageBackend(await s3.NewBucketAsync() with { AccessKeyId = "WRONGKEYID", SecretAccessKey = "Wrong-S3-secret-key" });

        var ex = await Assert.ThrowsAsync<StorageException>(() => backend.PutAsync("a.bin", new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("refused the credentials", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-S3-secret-key", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PresignDownload_LinkFetchesTheObjectWithoutCredentials()
    {
        await PutAsync("linked.bin", [9, 8, 7]);

        var url = await ((S3StorageBackend)Backend).PresignDownloadAsync("linked.bin", TimeSpan.FromMinutes(5));
        using var http = new HttpClient();

        Assert.Equal([9, 8, 7], await http.GetByteArrayAsync(new Uri(url)));
        Assert.DoesNotContain(S3rverFixture.SecretKey + "&", url, StringComparison.Ordinal);
    }
}
