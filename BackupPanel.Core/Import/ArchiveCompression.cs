using System.IO.Compression;
using BackupPanel.Core.Archive;

namespace BackupPanel.Core.Import;

/// <summary>
/// How an archive or a nested content file is compressed, told by its first bytes (never by its name): gzip, zstd —
/// also after junk, as Plesk content files may have a header before the zstd frame — or a plain tar.
/// </summary>
public static class ArchiveCompression
{
    public const string Gzip = "gzip";
    public const string Zstd = "zstd";
    public const string None = "none";

    /// <summary>How far into a stream a zstd frame may start.</summary>
    public const int MaxZstdOffset = 64 * 1024;

    private static readonly byte[] ZstdMagic = [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>The compression of a stream starting with <paramref name="head"/>, and where its data starts; null when unknown.</summary>
    public static (string Kind, int Offset)? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            return (Gzip, 0);
        }

        if (LooksLikeTar(head))
        {
            return (None, 0);
        }

        var zstd = head[..Math.Min(head.Length, MaxZstdOffset + ZstdMagic.Length)].IndexOf(ZstdMagic);
        return zstd >= 0 ? (Zstd, zstd) : null;
    }

    /// <summary>A tar header: "ustar" at offset 257 (POSIX, GNU and PAX archives all have it).</summary>
    public static bool LooksLikeTar(ReadOnlySpan<byte> head) =>
        head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8);

    /// <summary>What other known formats the head shows, to name them in a refusal.</summary>
    public static string Describe(ReadOnlySpan<byte> head) => head switch
    {
        [(byte)'B', (byte)'Z', (byte)'h', ..] => "bzip2 (recompress it with gzip or zstd: bzip2 -dc FILE | gzip > FILE.tar.gz)",
        [(byte)'P', (byte)'K', 3, 4, ..] => "a ZIP file (only tar archives are imported)",
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', ..] => "xz (recompress it with gzip or zstd)",
        [] => "an empty file",
        _ => "not a tar archive, gzip or zstd",
    };

    /// <summary>The decompressed stream over <paramref name="raw"/> (whose first bytes were detected as <paramref name="kind"/>).</summary>
    public static Stream Open(Stream raw, string kind) => kind switch
    {
        Gzip => new GZipStream(raw, CompressionMode.Decompress, leaveOpen: false),
        Zstd => new ZstdDecompressionStream(raw),
        _ => raw,
    };
}
