using BackupPanel.Core.Archive;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Backups;

/// <summary>
/// Reads a backup from the best of its stored copies and falls back to the next when one is unreachable or damaged:
/// copies whose destination last tested fine come first, then local ones, then the fastest. A copy that failed is not
/// tried again within the same run. Each try reads through the archive reader, which checks every byte against the
/// catalog's checksums, so a damaged copy is noticed before anything it holds is used.
/// </summary>
internal sealed class CopyFallback : IAsyncDisposable
{
    private readonly List<(BackupCopy Copy, Destination Destination)> _sources;
    private readonly Dictionary<Guid, IStorageBackend> _open = [];
    private readonly DestinationStorage _storage;
    private readonly Backup _backup;
    private readonly IReadOnlyList<Archive.Age.AgeIdentity> _identities;
    private readonly RunLog _log;

    private CopyFallback(List<(BackupCopy, Destination)> sources, DestinationStorage storage, Backup backup, IReadOnlyList<Archive.Age.AgeIdentity> identities, RunLog log)
    {
        _sources = sources;
        _storage = storage;
        _backup = backup;
        _identities = identities;
        _log = log;
    }

    /// <summary>The destination read from last (for messages).</summary>
    public string CurrentName => _sources.Count > 0 ? _sources[0].Destination.Name : "";

    /// <summary>The destination of the preferred copy.</summary>
    public Destination Preferred => _sources[0].Destination;

    /// <summary>
    /// The stored copies of <paramref name="backup"/> in the order they will be tried (<paramref name="preferred"/>'s
    /// first when given); throws when none is left.
    /// </summary>
    public static async Task<CopyFallback> OpenAsync(
        BackupPanelDbContext db, Backup backup, DestinationStorage storage, EncryptionService encryption, RunLog log, Guid? preferred, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(encryption);
        var stored = backup.Copies.Where(c => c.Status == BackupCopyStatus.Stored && c.DestinationId is not null).ToList();
        var ids = stored.Select(c => c.DestinationId!.Value).ToList();
        var destinations = await db.Destinations.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct).ConfigureAwait(false);
        var sources = stored.Where(c => destinations.ContainsKey(c.DestinationId!.Value)).Select(c => (c, destinations[c.DestinationId!.Value]))
            .OrderBy(s => s.Item2.Id == preferred ? 0 : 1).ThenBy(s => s.Item2.LastTestSucceeded == false ? 1 : 0).ThenBy(s => s.Item2.IsLocal ? 0 : 1)
            .ThenBy(s => s.Item2.LastTestMilliseconds ?? int.MaxValue).ToList();
        if (sources.Count == 0)
        {
            throw new RunFailedException(stored.Count == 0 ? "No stored copy of this backup is left." : "The destinations holding this backup were removed from the panel.");
        }

        return new CopyFallback(sources, storage, backup, await encryption.DecryptionIdentitiesAsync(ct).ConfigureAwait(false), log);
    }

    /// <summary>
    /// Runs <paramref name="work"/> against the preferred copy, then the next ones while a copy fails with a storage or
    /// damage error; the last copy's error is thrown when all fail.
    /// </summary>
    public async Task<T> ReadAsync<T>(string what, Func<ArchiveReader, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        while (true)
        {
            var (copy, destination) = _sources[0];
            try
            {
                if (!_open.TryGetValue(destination.Id, out var backend))
                {
                    _open[destination.Id] = backend = _storage.Open(destination, _log.Add);
                }

                return await work(new ArchiveReader(backend, _backup.FolderKey!, _identities)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ExpectedFailure.IsBadCopy(ex) && _sources.Count > 1)
            {
                _sources.RemoveAt(0);
                _log.Add($"The copy at {copy.DestinationName} failed while {what} ({ex.Message}); reading from {_sources[0].Destination.Name} instead.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _open.Values)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
        }

        _open.Clear();
    }
}
