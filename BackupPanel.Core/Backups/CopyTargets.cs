using BackupPanel.Core.Archive;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Backups;

/// <summary>
/// The destinations of one backup run. Components are written once, to the <see cref="Primary"/> — the run's first
/// Local destination by name, else a spool folder on this machine — and copied from there to every other destination in
/// parallel, each copy read back and compared with the component's size and SHA-256. A destination that fails is
/// dropped for the rest of the run (its partial folder removed) while the others carry on.
/// </summary>
internal sealed class CopyTargets : IAsyncDisposable
{
    private readonly List<Target> _targets;
    private readonly Target? _primaryTarget;
    private readonly RunLog _log;

    private CopyTargets(List<Target> targets, Target? primaryTarget, IStorageBackend primary, string? spool, RunLog log)
    {
        _targets = targets;
        _primaryTarget = primaryTarget;
        Primary = primary;
        SpoolDirectory = spool;
        _log = log;
    }

    /// <summary>Where components are written first.</summary>
    public IStorageBackend Primary { get; }

    /// <summary>The spool folder when no Local destination is part of the run (null otherwise).</summary>
    public string? SpoolDirectory { get; }

    /// <summary>Destinations still taking copies.</summary>
    public IEnumerable<string> Live => _targets.Where(t => t.Error is null).Select(t => t.Copy.DestinationName);

    public static CopyTargets Open(IReadOnlyList<(BackupCopy Copy, Destination Destination)> chosen, DestinationStorage storage, string runSpool, RunLog log)
    {
        var targets = chosen.Select(c => new Target(c.Copy, c.Destination, storage.Open(c.Destination, log.Add))).ToList();
        var local = targets.FirstOrDefault(t => t.Destination.IsLocal);
        if (local is not null)
        {
            return new CopyTargets(targets, local, local.Backend, null, log);
        }

        PrivateFiles.CreateFolder(runSpool);
        return new CopyTargets(targets, null, new LocalStorageBackend(runSpool), runSpool, log);
    }

    /// <summary>Removes folders without a manifest that earlier interrupted runs left at each destination (best effort).</summary>
    public async Task CleanLeftoversAsync(string domainPrefix, CancellationToken ct)
    {
        await Task.WhenAll(_targets.Select(async t =>
        {
            try
            {
                await LeftoverCleaner.RemoveIncompleteAsync(t.Backend, domainPrefix, _log, ct).ConfigureAwait(false);
            }
            catch (StorageException ex)
            {
                _log.Add($"{t.Copy.DestinationName}: could not look for leftovers of interrupted runs ({ex.Message}).");
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Copies a component written to the primary to every other live destination and proves each copy.</summary>
    public async Task ReplicateAsync(string key, ArchiveComponent component, RunProgress progress, CancellationToken ct)
    {
        var others = _targets.Where(t => t != _primaryTarget && t.Error is null).ToList();
        if (others.Count > 0)
        {
            progress.Phase($"copying {component.Name} to {string.Join(", ", others.Select(t => t.Copy.DestinationName))}");
        }

        await Task.WhenAll(others.Select(t => CopyAsync(t, key, component.StoredSize, component.StoredSha256, ct))).ConfigureAwait(false);
        if (SpoolDirectory is not null)
        {
            await Primary.DeleteAsync(key, ct).ConfigureAwait(false); // the spool holds one component at a time
        }

        ThrowIfNoneLeft();
    }

    /// <summary>
    /// Writes the signature, then the manifest (last, it commits the backup) to every live destination, each read back
    /// and compared.
    /// </summary>
    public async Task CommitAsync(string folderKey, byte[] manifest, byte[] signature, CancellationToken ct)
    {
        foreach (var (name, bytes) in new[] { (ManifestSignature.FileName, signature), (ArchiveManifest.FileName, manifest) })
        {
            var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            await Task.WhenAll(_targets.Where(t => t.Error is null).Select(t => CopyAsync(t, folderKey + name, bytes.Length, sha256, ct, bytes))).ConfigureAwait(false);
            ThrowIfNoneLeft();
        }
    }

    /// <summary>Marks each chosen copy Stored or Failed (with its reason) and says how the run ended.</summary>
    public BackupStatus Finish(DateTimeOffset now)
    {
        foreach (var t in _targets)
        {
            t.Copy.Status = t.Error is null ? BackupCopyStatus.Stored : BackupCopyStatus.Failed;
            t.Copy.Error = t.Error is null ? null : RunLog.Clip(t.Error, 4000);
            t.Copy.StoredAt = t.Error is null ? now : null;
        }

        var stored = _targets.Count(t => t.Error is null);
        return stored == _targets.Count ? BackupStatus.Succeeded : stored > 0 ? BackupStatus.PartiallySucceeded : BackupStatus.Failed;
    }

    /// <summary>Why the failed copies failed, one sentence each (for the backup's error line).</summary>
    public string? FailedCopies() => _targets.Any(t => t.Error is not null)
        ? string.Join(" ", _targets.Where(t => t.Error is not null).Select(t => $"The copy at {t.Copy.DestinationName} failed: {t.Error}"))
        : null;

    /// <summary>Removes what this run wrote at every destination (a failed or cancelled run keeps nothing).</summary>
    public async Task RemoveAllAsync(string folderKey)
    {
        await Task.WhenAll(_targets.Select(t => RemovePartialAsync(t.Backend, folderKey, t.Copy.DestinationName))).ConfigureAwait(false);
        if (SpoolDirectory is not null)
        {
            await RemovePartialAsync(Primary, folderKey, "the spool").ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var t in _targets)
        {
            await t.Backend.DisposeAsync().ConfigureAwait(false);
        }

        if (SpoolDirectory is not null)
        {
            try
            {
                Directory.Delete(SpoolDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Swept with the spool folder's next use.
            }
        }
    }

    private async Task CopyAsync(Target target, string key, long size, string sha256, CancellationToken ct, byte[]? bytes = null)
    {
        try
        {
            StoredCopy proof;
            var source = bytes is null ? await Primary.OpenReadAsync(key, null, ct).ConfigureAwait(false) : new MemoryStream(bytes, writable: false);
            await using (source.ConfigureAwait(false))
            {
                proof = await target.Backend.PutAndReadBackAsync(key, source, ct).ConfigureAwait(false);
            }

            if (proof.Size != size || proof.Sha256 != sha256)
            {
                throw new StorageException(StorageErrorKind.Permanent,
                    $"'{key}' read back as {proof.Size:N0} bytes with SHA-256 {proof.Sha256[..12]}…, not the {size:N0} bytes with {sha256[..12]}… that were sent.");
            }

            _log.Add($"{target.Copy.DestinationName}: {key[(key.LastIndexOf('/') + 1)..]} copied, read back and checked ({size:N0} bytes).");
        }
        catch (StorageException ex) when (target != _primaryTarget)
        {
            target.Error = ex.Message;
            _log.Add($"{target.Copy.DestinationName}: copy failed ({ex.Message}); the other destinations carry on.");
            await RemovePartialAsync(target.Backend, key[..(key.LastIndexOf('/') + 1)], target.Copy.DestinationName).ConfigureAwait(false);
        }
    }

    private async Task RemovePartialAsync(IStorageBackend backend, string folderKey, string where)
    {
        try
        {
            await foreach (var item in backend.ListAsync(folderKey, CancellationToken.None).ConfigureAwait(false))
            {
                await backend.DeleteAsync(item.Key, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (StorageException ex)
        {
            // The folder has no manifest, so it never counts; the next run of this domain removes it.
            _log.Add($"{where}: could not remove the partial folder yet ({ex.Message}); the next run will.");
        }
    }

    private void ThrowIfNoneLeft()
    {
        if (_targets.All(t => t.Error is not null))
        {
            throw new StorageException(StorageErrorKind.Permanent, FailedCopies()!);
        }
    }

    private sealed class Target(BackupCopy copy, Destination destination, IStorageBackend backend)
    {
        public BackupCopy Copy => copy;
        public Destination Destination => destination;
        public IStorageBackend Backend => backend;
        public string? Error { get; set; }
    }
}
