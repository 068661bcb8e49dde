using BackupPanel.Core.Storage;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Storage;

/// <summary>
/// The contract once more through a decorator that forwards every call and does not override
/// <see cref="IStorageBackend.PutAndReadBackAsync"/> — the shape of the retry decorator and of any backend that
/// relies on the contract's own read-back (the object is read back whole after the put).
/// </summary>
public sealed class PassThroughStorageContractTests : StorageContractTests, IDisposable
{
    private readonly string _root = TestPaths.NewTempDir("passthrough");

    public PassThroughStorageContractTests() => Backend = new PassThroughBackend(new LocalStorageBackend(_root));

    protected override IStorageBackend Backend { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

/// <summary>Forwards every call to a real backend, adding nothing (see <see cref="PassThroughStorageContractTests"/>).</summary>
public class PassThroughBackend(IStorageBackend inner) : IStorageBackend
{
    public virtual Task PutAsync(string key, Stream content, CancellationToken ct) => inner.PutAsync(key, content, ct);
    public Task<Stream> OpenReadAsync(string key, ByteRange? range, CancellationToken ct) => inner.OpenReadAsync(key, range, ct);
    public virtual Task<StorageObjectInfo?> StatAsync(string key, CancellationToken ct) => inner.StatAsync(key, ct);
    public virtual IAsyncEnumerable<StorageObjectInfo> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);
    public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
    public Task<StorageTestResult> TestAsync(CancellationToken ct) => StorageProbe.RunAsync(this, ct);
}
