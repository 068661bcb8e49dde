using System.Buffers;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Reads a backup folder back: the manifest, then each component through SHA-256 (stored) → age → zstd → SHA-256
/// (plain) into a consumer. Sizes and checksums are compared when the stream ends; anything missing, damaged,
/// truncated or tampered with becomes an <see cref="ArchiveCorruptException"/> naming the component.
/// </summary>
public sealed class ArchiveReader(IStorageBackend storage, string folderKey, IReadOnlyList<AgeIdentity> identities)
{
    // Decoding into a stage's chunk: when less than this is left in it, the next chunk is taken.
    private const int MinDecodeBytes = 128 * 1024;

    /// <summary>Reads and checks <c>manifest.json</c>; a folder without one is an incomplete backup.</summary>
    public async Task<ArchiveManifest> ReadManifestAsync(CancellationToken ct) => await ReadManifestAsync(null, ct).ConfigureAwait(false);

    /// <summary>How the signature of the manifest read last checked out with this reader's identities.</summary>
    public SignatureState? Signature { get; private set; }

    /// <summary>The manifest's signing key (age1…), when it is signed.</summary>
    public string? SignatureKey { get; private set; }

    /// <summary>The lower-case hex SHA-256 of the manifest read last, as stored.</summary>
    public string? ManifestSha256 { get; private set; }

    /// <summary>
    /// Reads manifest.json; with <paramref name="expectedSha256"/> (the catalog's record of it), a manifest changed
    /// since the backup was made is refused. A signature that does not match is always refused; with
    /// <paramref name="requireSignature"/>, so is a manifest that is unsigned or signed by a key not given.
    /// </summary>
    public async Task<ArchiveManifest> ReadManifestAsync(string? expectedSha256, CancellationToken ct, bool requireSignature = false)
    {
        var json = await ReadSmallAsync(ArchiveManifest.FileName, ct).ConfigureAwait(false)
            ?? throw new ArchiveCorruptException(ArchiveManifest.FileName, "is missing: the backup never completed or was damaged");
        ManifestSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json));
        if (expectedSha256 is not null && ManifestSha256 != expectedSha256)
        {
            throw new ArchiveCorruptException(ArchiveManifest.FileName, "was changed after the backup was made");
        }

        var signature = await ReadSmallAsync(ManifestSignature.FileName, ct).ConfigureAwait(false);
        Signature = ManifestSignature.Check(json, signature, identities, out var signedBy);
        SignatureKey = signedBy;
        switch (Signature)
        {
            case SignatureState.Invalid:
                throw new ArchiveCorruptException(ManifestSignature.FileName, "does not match manifest.json: the manifest was changed or forged after the panel signed it");
            case SignatureState.Missing when requireSignature:
                throw new ArchiveCorruptException(ManifestSignature.FileName, "is missing: the backup is not signed, so nothing proves the panel wrote it");
            case SignatureState.UnknownKey when requireSignature:
                throw new ArchiveCorruptException(ManifestSignature.FileName, $"is by a key this panel does not hold ({SignatureKey}): it cannot be checked");
        }

        return ArchiveManifest.Parse(json);
    }

    /// <summary>A small file of the folder (at most 1 MiB), or null when there is none.</summary>
    private async Task<byte[]?> ReadSmallAsync(string name, CancellationToken ct)
    {
        var key = folderKey + name;
        var info = await storage.StatAsync(key, ct).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }

        if (info.Size > 1 << 20)
        {
            throw new ArchiveCorruptException(name, "is larger than 1 MiB; it is not one BackupPanel writes");
        }

        var stream = await storage.OpenReadAsync(key, null, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary>
    /// Streams the plain bytes of <paramref name="component"/> into <paramref name="consume"/>, then checks sizes and
    /// checksums. The consumer must not make its work permanent before this returns (stage, then commit).
    /// </summary>
    public async Task ReadComponentAsync(ArchiveComponent component, Func<Stream, CancellationToken, Task> consume, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(consume);
        try
        {
            var source = await OpenAsync(storage, folderKey, component, ct).ConfigureAwait(false);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // No more than the manifest's sizes is ever read or decoded: a bomb stops at its declared size, not at a
            // full disk.
            using var stored = new HashingStream(new BoundedReadStream(source, component.StoredSize, component.Name, "stored")) { OnProgress = progress };
            using var plain = new HashingStream(Stream.Null);

            // Two decoding stages beside the consumer, like `age -d | zstd -d | tar -x`: read, hash and decrypt; then
            // decompress and hash. Three threads keep two cores busy when the consumer and the decoding take turns
            // being the slower (small files against large ones).
            var decrypt = PipeStage.Start((output, token) => DecryptAsync(component, stored, (IBufferWriter<byte>)output, token), cts.Token);
            await using (decrypt.ConfigureAwait(false))
            {
                var decode = PipeStage.Start((output, token) => DecompressAsync(component, decrypt, plain, (IBufferWriter<byte>)output, token), cts.Token);
                await using (decode.ConfigureAwait(false))
                {
                    try
                    {
                        await consume(decode.Output, cts.Token).ConfigureAwait(false);
                        await decode.Output.CopyToAsync(Stream.Null, cts.Token).ConfigureAwait(false);
                    }
                    catch when (decrypt.Completion.IsFaulted || decode.Completion.IsFaulted)
                    {
                        // The consumer only saw the echo of a decoding failure; report the cause.
                    }
                    catch
                    {
                        await cts.CancelAsync().ConfigureAwait(false);
                        throw;
                    }

                    await decrypt.Completion.ConfigureAwait(false);
                    await decode.Completion.ConfigureAwait(false);
                }
            }

            Compare(component, stored, plain);
        }
        catch (Exception ex) when (ex is AgeException or InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ArchiveCorruptException(component.Name, $"is damaged or unreadable ({ex.Message})", ex);
        }
    }

    /// <summary>Checks a stored copy's size and SHA-256 without decrypting (what needs no key).</summary>
    public static async Task CheckStoredCopyAsync(IStorageBackend storage, string folderKey, ArchiveComponent component, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(component);
        var stored = await OpenAsync(storage, folderKey, component, ct).ConfigureAwait(false);
        await using (stored.ConfigureAwait(false))
        {
            CheckStoredCopy(component, await StoredCopy.MeasureAsync(stored, ct).ConfigureAwait(false));
        }
    }

    /// <summary>Compares what a destination holds (read back from it) with what the manifest records.</summary>
    public static void CheckStoredCopy(ArchiveComponent component, StoredCopy stored)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Size != component.StoredSize || stored.Sha256 != component.StoredSha256)
        {
            throw new ArchiveCorruptException(component.Name,
                $"the stored copy does not match: {stored.Size:N0} bytes with SHA-256 {stored.Sha256[..12]}…, expected {component.StoredSize:N0} bytes with {component.StoredSha256[..12]}…");
        }
    }

    private static async Task<Stream> OpenAsync(IStorageBackend storage, string folderKey, ArchiveComponent component, CancellationToken ct)
    {
        try
        {
            return await storage.OpenReadAsync(folderKey + component.Name, null, ct).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            throw new ArchiveCorruptException(component.Name, "is missing from the backup folder", ex);
        }
    }

    /// <summary>stored (hashed on the way) → age → the stage's chunks; then whatever follows the end, hashed too.</summary>
    private Task DecryptAsync(ArchiveComponent component, HashingStream stored, IBufferWriter<byte> output, CancellationToken ct)
    {
        using var decrypted = component.Encryption == "age" ? new AgeDecryptingStream(stored, RequireIdentities(component), leaveOpen: true) : null;
        Fill(decrypted ?? (Stream)stored, output, null, long.MaxValue, component.Name, ct);

        // Anything after the age stream's final chunk must still be read and hashed.
        stored.CopyTo(Stream.Null);
        return Task.CompletedTask;
    }

    /// <summary>zstd → plain, decompressed straight into the stage's chunks and hashed there.</summary>
    private static Task DecompressAsync(ArchiveComponent component, PipeStage compressed, HashingStream plainHash, IBufferWriter<byte> output, CancellationToken ct)
    {
        using (var zstd = new ZstdDecompressionStream(compressed.Output))
        {
            Fill(zstd, output, plainHash, component.PlainSize, component.Name, ct);
        }

        // Bytes after the last zstd frame still have to pass, so that the stored bytes are all read and hashed.
        compressed.Output.CopyTo(Stream.Null);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end straight into a stage's chunks, hashing what it reads; more than
    /// <paramref name="limit"/> bytes is refused as soon as the first byte past it is read.
    /// </summary>
    private static void Fill(Stream source, IBufferWriter<byte> output, HashingStream? hash, long limit, string component, CancellationToken ct)
    {
        var total = 0L;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = output.GetSpan(MinDecodeBytes);
            // One byte past the limit is asked for, so that a longer stream is seen at once.
            var room = limit - total;
            var read = source.Read(room >= chunk.Length ? chunk : chunk[..((int)room + 1)]);
            if (read == 0)
            {
                return;
            }

            total += read;
            if (total > limit)
            {
                throw new ArchiveCorruptException(component, $"unpacks to more than the {limit:N0} plain bytes the manifest declares; stopped there");
            }

            hash?.Write(chunk[..read]);
            output.Advance(read);
        }
    }

    private IReadOnlyList<AgeIdentity> RequireIdentities(ArchiveComponent component) => identities.Count > 0
        ? identities
        : throw new ArchiveCorruptException(component.Name, "is encrypted and no age identity was given");

    private static void Compare(ArchiveComponent component, HashingStream stored, HashingStream plain)
    {
        var problem = (stored, plain) switch
        {
            _ when stored.BytesTransferred != component.StoredSize => $"has {stored.BytesTransferred:N0} stored bytes, the manifest says {component.StoredSize:N0}",
            _ when stored.Sha256Hex != component.StoredSha256 => "the SHA-256 of the stored bytes does not match the manifest",
            _ when plain.BytesTransferred != component.PlainSize => $"has {plain.BytesTransferred:N0} plain bytes, the manifest says {component.PlainSize:N0}",
            _ when plain.Sha256Hex != component.PlainSha256 => "the SHA-256 of the plain bytes does not match the manifest",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArchiveCorruptException(component.Name, problem);
        }
    }
}
