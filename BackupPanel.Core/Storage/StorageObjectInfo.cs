namespace BackupPanel.Core.Storage;

/// <summary>An object as a backend lists it.</summary>
/// <param name="Key">The object's key.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="LastModified">When it was last written (UTC), as the backend reports it.</param>
public sealed record StorageObjectInfo(string Key, long Size, DateTimeOffset LastModified);

/// <summary>A byte range of an object: <paramref name="Length"/> bytes from <paramref name="Offset"/>.</summary>
/// <param name="Offset">The first byte, from 0.</param>
/// <param name="Length">How many bytes at most; the range is clamped to the object's end.</param>
public readonly record struct ByteRange(long Offset, long Length);

/// <summary>What a "test connection" proved, step by step.</summary>
/// <param name="Success">Every step worked.</param>
/// <param name="Message">One plain sentence: what worked, or what failed and why.</param>
/// <param name="Elapsed">How long the whole probe took (the destination's latency as the user feels it).</param>
public sealed record StorageTestResult(bool Success, string Message, TimeSpan Elapsed);
