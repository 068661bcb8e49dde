using System.Security.Cryptography;
using System.Text;
using BackupPanel.Core.Storage;

namespace BackupPanel.Tests.Storage;

/// <summary>
/// The one contract every storage backend passes (<see cref="Core.Storage.IStorageBackend"/>), each against a real server. A backend's test
/// class derives from this and supplies a fresh, empty backend per test.
/// </summary>
public abstract class StorageContractTests
{
    protected abstract IStorageBackend Backend { get; }

    /// <summary>
    /// Whether the server under test replaces an object atomically when several clients write the same key at once.
    /// Our backends that rename a finished upload into place must; S3 leaves it to the service, which AWS does.
    /// </summary>
    protected virtual bool ServerReplacesAtomically => true;

    [Fact]
    public async Task Put_ThenRead_ReturnsTheSameBytes()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        await PutAsync("a/b/object.bin", data);

        Assert.Equal(data, await ReadAsync("a/b/object.bin"));
    }

    [Fact]
    public async Task OpenRead_Range_ReturnsThatSliceClampedToTheEnd()
    {
        var data = RandomNumberGenerator.GetBytes(10_000);
        await PutAsync("range.bin", data);

        Assert.Equal(data[100..600], await ReadAsync("range.bin", new ByteRange(100, 500)));
        Assert.Equal(data[9_990..], await ReadAsync("range.bin", new ByteRange(9_990, 500)));
    }

    [Fact]
    public async Task Stat_ExistingAndMissing_GivesSizeOrNull()
    {
        await PutAsync("stat.bin", new byte[1234]);

        Assert.Equal(1234, (await Backend.StatAsync("stat.bin", default))?.Size);
        Assert.Null(await Backend.StatAsync("missing.bin", default));
    }

    [Fact]
    public async Task OpenRead_MissingKey_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<StorageException>(() => Backend.OpenReadAsync("nope/missing.bin", null, default));

        Assert.Equal(StorageErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task List_Prefix_ReturnsOnlyMatchingKeys()
    {
        await PutAsync("dom/2026/one.bin", [1]);
        await PutAsync("dom/2026/two.bin", [2, 2]);
        await PutAsync("dom/2027/three.bin", [3]);
        await PutAsync("other/four.bin", [4]);

        var listed = await ListAsync("dom/2026/");

        Assert.Equal(["dom/2026/one.bin", "dom/2026/two.bin"], listed.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal(2, listed.Single(o => o.Key.EndsWith("two.bin", StringComparison.Ordinal)).Size);
        Assert.Equal(3, (await ListAsync("dom/")).Count);
        Assert.Equal(4, (await ListAsync("")).Count);
        Assert.Empty(await ListAsync("nothing-here/"));
    }

    [Fact]
    public async Task Delete_ExistingThenMissing_BothSucceed()
    {
        await PutAsync("del/x.bin", [1]);

        await Backend.DeleteAsync("del/x.bin", default);
        await Backend.DeleteAsync("del/x.bin", default);

        Assert.Null(await Backend.StatAsync("del/x.bin", default));
        Assert.Empty(await ListAsync("del/"));
    }

    [Fact]
    public async Task Put_ExistingKey_ReplacesIt()
    {
        await PutAsync("over.bin", Encoding.UTF8.GetBytes("first version, longer"));
        await PutAsync("over.bin", Encoding.UTF8.GetBytes("second"));

        Assert.Equal("second", Encoding.UTF8.GetString(await ReadAsync("over.bin")));
    }

    [Fact]
    public async Task Put_LargeObject_StreamsWithoutBuffering()
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = new GeneratedStream(64L * 1024 * 1024, hash))
        {
            await Backend.PutAsync("large.bin", source, default);
        }

        await using var read = await Backend.OpenReadAsync("large.bin", null, default);
        Assert.Equal(Convert.ToHexString(hash.GetHashAndReset()), Convert.ToHexString(await SHA256.HashDataAsync(read)));
    }

    [Fact]
    public async Task PutAndReadBack_LargeObject_ProvesSizeAndSha256OfWhatIsStored()
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        StoredCopy proof;
        await using (var source = new GeneratedStream(20L * 1024 * 1024 + 12_345, hash))
        {
            proof = await Backend.PutAndReadBackAsync("proved/large.bin", source, default);
        }

        await using var read = await Backend.OpenReadAsync("proved/large.bin", null, default);
        var xxHash = new System.IO.Hashing.XxHash128();
        await xxHash.AppendAsync(read);
        Assert.Equal(20L * 1024 * 1024 + 12_345, proof.Size);
        Assert.Equal(Convert.ToHexStringLower(hash.GetHashAndReset()), proof.Sha256);
        Assert.Equal(Convert.ToHexStringLower(xxHash.GetHashAndReset()), proof.XxHash128);
    }

    [Fact]
    public async Task PutAndReadBack_EmptyObject_ProvesZeroBytes()
    {
        var proof = await Backend.PutAndReadBackAsync("proved/empty.bin", new MemoryStream(), default);

        Assert.Equal(new StoredCopy(0, Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty)),
            Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(ReadOnlySpan<byte>.Empty))), proof);
        Assert.Equal(0, (await Backend.StatAsync("proved/empty.bin", default))?.Size);
    }

    [Fact]
    public async Task PutAndReadBack_ContentStreamFails_LeavesNothingUnderTheKey()
    {
        await Assert.ThrowsAsync<IOException>(() => Backend.PutAndReadBackAsync("failing.bin", new FailingStream(3_000_000), default));

        Assert.Null(await Backend.StatAsync("failing.bin", default));
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task Put_Concurrently_EveryObjectComplete()
    {
        var payloads = Enumerable.Range(0, 8).Select(_ => RandomNumberGenerator.GetBytes(300_000)).ToArray();

        await Task.WhenAll(payloads.Select((p, i) => PutAsync($"concurrent/{i}.bin", p)));
        for (var i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], await ReadAsync($"concurrent/{i}.bin"));
        if (!ServerReplacesAtomically)
        {
            return;
        }

        await Task.WhenAll(payloads.Select((p, i) => PutAsync("concurrent/same.bin", p)));
        var same = await ReadAsync("concurrent/same.bin");
        Assert.Contains(payloads, p => p.AsSpan().SequenceEqual(same));
    }

    [Theory]
    [InlineData("with spaces/a file name.txt")]
    [InlineData("ünïcödé/日本語 ファイル.txt")]
    [InlineData("symbols/a+b=c&d;e'f(1).txt")]
    public async Task Put_OddNames_RoundTripAndList(string key)
    {
        await PutAsync(key, Encoding.UTF8.GetBytes(key));

        Assert.Equal(key, Encoding.UTF8.GetString(await ReadAsync(key)));
        Assert.Contains(key, (await ListAsync(key[..(key.IndexOf('/', StringComparison.Ordinal) + 1)])).Select(o => o.Key));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/absolute.txt")]
    [InlineData("a//b.txt")]
    [InlineData("a/./b.txt")]
    [InlineData("back\\slash.txt")]
    [InlineData("")]
    public async Task Put_InvalidKey_IsRefusedAsPermanent(string key)
    {
        var ex = await Assert.ThrowsAsync<StorageException>(() => Backend.PutAsync(key, new MemoryStream([1]), default));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
    }

    [Fact]
    public async Task Put_ContentStreamFails_LeavesNothingUnderTheKey()
    {
        await Assert.ThrowsAsync<IOException>(() => Backend.PutAsync("failing.bin", new FailingStream(200_000), default));

        Assert.Null(await Backend.StatAsync("failing.bin", default));
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task Put_Cancelled_LeavesNothingUnderTheKey()
    {
        using var cts = new CancellationTokenSource();
        var source = new GeneratedStream(1L << 40, null) { OnRead = total => { if (total > 1_000_000) cts.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Backend.PutAsync("cancelled.bin", source, cts.Token));

        Assert.Null(await Backend.StatAsync("cancelled.bin", default));
    }

    [Fact]
    public async Task Test_WorkingDestination_SucceedsAndLeavesNoProbe()
    {
        var result = await Backend.TestAsync(default);

        Assert.True(result.Success, result.Message);
        Assert.Empty(await ListAsync(""));
    }

    protected async Task PutAsync(string key, byte[] data)
    {
        using var stream = new MemoryStream(data);
        await Backend.PutAsync(key, stream, default);
    }

    protected async Task<byte[]> ReadAsync(string key, ByteRange? range = null)
    {
        await using var stream = await Backend.OpenReadAsync(key, range, default);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<List<StorageObjectInfo>> ListAsync(string prefix)
    {
        var items = new List<StorageObjectInfo>();
        await foreach (var item in Backend.ListAsync(prefix, default)) items.Add(item);
        return items;
    }
}
