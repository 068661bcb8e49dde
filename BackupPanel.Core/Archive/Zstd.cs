using System.Runtime.InteropServices;

namespace BackupPanel.Core.Archive;

/// <summary>
/// The reference zstd library (<c>libzstd.so.1</c>, which dpkg itself depends on, so every Debian and Ubuntu has
/// it), called directly: measured against the managed port, compression needs a third less CPU and a short-lived
/// process spends no time JIT-compiling a codec (docs/PERFORMANCE.md). Only the streaming API is used.
/// </summary>
internal static partial class Zstd
{
    public const int CompressionLevelParameter = 100;
    public const int ChecksumFlagParameter = 201;
    public const int WorkersParameter = 400;
    public const int EndContinue = 0;
    public const int EndFrame = 2;
    private const string Library = "libzstd.so.1";

    [StructLayout(LayoutKind.Sequential)]
    public struct Buffer
    {
        public nint Data;
        public nuint Size;
        public nuint Position;
    }

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    public static partial nint CreateCompressor();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    public static partial nuint FreeCompressor(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    public static partial nuint SetParameter(nint context, int parameter, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressStream2")]
    public static partial nuint CompressStream(nint context, ref Buffer output, ref Buffer input, int endDirective);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    public static partial nint CreateDecompressor();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    public static partial nuint FreeDecompressor(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(nint context, ref Buffer output, ref Buffer input);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    private static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    private static partial nint GetErrorName(nuint code);

    /// <summary>Returns <paramref name="code"/>, or throws <see cref="InvalidDataException"/> with zstd's own words.</summary>
    public static nuint Check(nuint code) => IsError(code) == 0
        ? code
        : throw new InvalidDataException($"zstd: {Marshal.PtrToStringUTF8(GetErrorName(code))}");
}
