using System.Security.Cryptography;

namespace BackupPanel.Core.Storage;

/// <summary>What a destination proved it holds: the size and SHA-256 of the object's bytes as read back from it.</summary>
/// <param name="Size">Bytes read back.</param>
/// <param name="Sha256">Their SHA-256, lower-case hex.</param>
public sealed record StoredCopy(long Size, string Sha256)
{
    /// <summary>Reads <paramref name="content"/> to its end and measures it.</summary>
    public static async Task<StoredCopy> MeasureAsync(Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long size = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return new StoredCopy(size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
