using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BackupPanel.Core.Storage;

// The copy into a new file: write-behind so the final fsync has little left, and the read-back of each range.
public sealed partial class LocalStorageBackend
{
    // Write-behind: the kernel is asked to start writing every 8 MiB as it arrives, so the fsync at the end only waits
    // for the last few MiB instead of the whole file (a 370 MiB component's fsync: 0.25–0.36 s without, mostly
    // 6–30 ms with it; docs/PERFORMANCE.md).
    private const long WriteBehindBytes = 8 << 20;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>
    /// Copies, letting the source's own failures through unchanged: they are not storage errors. With
    /// <paramref name="readBack"/>, each range is read back from the file once written and hashed.
    /// </summary>
    private static async Task<long> CopyAsync(Stream content, FileStream file, Stream? readBack, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        var fromFile = readBack is null ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long written = 0, flushed = 0;
            int read;
            while ((read = await ReadSourceAsync(content, buffer, ct).ConfigureAwait(false)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                if (readBack is not null)
                {
                    readBack.Write(fromFile!, 0, ReadBack(file.SafeFileHandle, fromFile!.AsSpan(0, read), written));
                }

                written += read;
                if (written - flushed >= WriteBehindBytes)
                {
                    StartWriteBack(file.SafeFileHandle, flushed, written - flushed);
                    flushed = written;
                }
            }

            return written;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            if (fromFile is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(fromFile);
            }
        }
    }

    /// <summary>Reads a range just written back from the file; fewer bytes than written means the file lost some.</summary>
    private static int ReadBack(SafeFileHandle file, Span<byte> range, long offset)
    {
        var total = 0;
        int read;
        while (total < range.Length && (read = RandomAccess.Read(file, range[total..], offset + total)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Starts writing a range to disk without waiting (Linux); only a hint: the fsync at the end decides.</summary>
    private static void StartWriteBack(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, offset, count, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    private static async ValueTask<int> ReadSourceAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await content.ReadAsync(buffer, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SourceFailedException(ex);
        }
    }
}
