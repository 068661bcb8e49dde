namespace BackupPanel.Core.Storage;

/// <summary>
/// What a destination proved it holds: the size, SHA-256 and XXH3-128 of the object's bytes as read back from it. The
/// writer compares size and XXH3-128 with what it sent (cheap, and as sure against damage); the SHA-256 is the one
/// the manifest publishes.
/// </summary>
/// <param name="Size">Bytes read back.</param>
/// <param name="Sha256">Their SHA-256, lower-case hex.</param>
/// <param name="XxHash128">Their XXH3-128, lower-case hex.</param>
public sealed record StoredCopy(long Size, string Sha256, string XxHash128)
{
    /// <summary>Reads <paramref name="content"/> to its end and measures it.</summary>
    public static async Task<StoredCopy> MeasureAsync(Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var check = new HashingStream(Stream.Null, xxHash128: true);
        using var sha256 = new HashingStream(check, leaveOpen: true);
        await content.CopyToAsync(sha256, 1 << 20, ct).ConfigureAwait(false);
        return Of(sha256, check);
    }

    /// <summary>The proof from two hashing streams the read-back bytes went through: SHA-256 and XXH3-128.</summary>
    internal static StoredCopy Of(HashingStream sha256, HashingStream check) => new(sha256.BytesTransferred, sha256.Sha256Hex, check.DigestHex);
}
