using System.Diagnostics;
using System.Security.Cryptography;

namespace BackupPanel.Core.Storage;

/// <summary>
/// The "test connection" every backend runs (after Duplicati's): write a probe object, stat it, read it back and
/// compare, find it in a listing, delete it. Reports the first failing step in words.
/// </summary>
public static class StorageProbe
{
    /// <summary>The folder probe objects are written to; nothing else uses it.</summary>
    public const string Prefix = ".backuppanel-probe/";

    /// <summary>Runs the probe against <paramref name="backend"/>; never throws for a failing destination.</summary>
    public static async Task<StorageTestResult> RunAsync(IStorageBackend backend, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var clock = Stopwatch.StartNew();
        var key = Prefix + Guid.NewGuid().ToString("N") + ".bin";
        var payload = RandomNumberGenerator.GetBytes(4096);
        var step = "write a test file";
        try
        {
            using (var content = new MemoryStream(payload, writable: false))
            {
                await backend.PutAsync(key, content, ct).ConfigureAwait(false);
            }

            step = "find the test file";
            var info = await backend.StatAsync(key, ct).ConfigureAwait(false);
            if (info is null || info.Size != payload.Length)
            {
                return Fail($"The test file was written but then {(info is null ? "not found" : $"had {info.Size} bytes instead of {payload.Length}")}.", clock);
            }

            step = "read the test file back";
            if (!await ReadsBackAsync(backend, key, payload, ct).ConfigureAwait(false))
            {
                return Fail("The test file read back differs from what was written.", clock);
            }

            step = "list the folder";
            var listed = false;
            await foreach (var item in backend.ListAsync(Prefix, ct).ConfigureAwait(false))
            {
                listed |= item.Key == key;
            }

            if (!listed)
            {
                return Fail("The test file was written but a listing does not show it.", clock);
            }

            step = "delete the test file";
            await backend.DeleteAsync(key, ct).ConfigureAwait(false);
            return new StorageTestResult(true, $"Write, read, list and delete work ({clock.ElapsedMilliseconds} ms).", clock.Elapsed);
        }
        catch (StorageException ex)
        {
            return Fail($"Could not {step}: {ex.Message}", clock);
        }
    }

    private static async Task<bool> ReadsBackAsync(IStorageBackend backend, string key, byte[] expected, CancellationToken ct)
    {
        var stream = await backend.OpenReadAsync(key, null, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct).ConfigureAwait(false);
            return copy.ToArray().AsSpan().SequenceEqual(expected);
        }
    }

    private static StorageTestResult Fail(string message, Stopwatch clock) => new(false, message, clock.Elapsed);
}
