using BackupPanel.Core.Archive.Age;

namespace BackupPanel.Core.Archive;

/// <summary>How components are compressed and encrypted.</summary>
public sealed record ArchiveWriteOptions
{
    /// <summary>zstd level, 1 (fastest) to 19; 3 is zstd's own default.</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>zstd worker threads; 0 = one per core.</summary>
    public int CompressionWorkers { get; init; }

    /// <summary>age recipients; none = not encrypted.</summary>
    public IReadOnlyList<AgeRecipient> Recipients { get; init; } = [];

    /// <summary>Read each stored copy back and check its size and SHA-256 before it counts (on by default).</summary>
    public bool ReadBack { get; init; } = true;
}
