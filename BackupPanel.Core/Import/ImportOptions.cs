using System.ComponentModel.DataAnnotations;

namespace BackupPanel.Core.Import;

/// <summary>Limits on archives to import (section <c>BackupPanel:Import</c>, docs/CONFIGURATION.md).</summary>
public sealed class ImportOptions
{
    public const string Section = "BackupPanel:Import";

    /// <summary>The largest browser upload, in bytes (default 50 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 50L << 30;

    /// <summary>File name endings a browser upload may have (the content decides the format; this only keeps obvious mistakes out).</summary>
    public string[] AllowedUploadTypes { get; set; } = [".tar", ".tar.gz", ".tgz", ".tar.zst", ".tzst", ".gz", ".zst"];

    /// <summary>Decompressed bytes may be at most this many times the compressed bytes read so far (past the first 64 MiB).</summary>
    [Range(2, 100_000)]
    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>At most this many bytes once decompressed, nested archives included (default 2 TiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUnpackedBytes { get; set; } = 2L << 40;

    /// <summary>At most this many entries, nested archives included.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEntries { get; set; } = 10_000_000;

    /// <summary>Where browser uploads are written while they are inspected and imported (default: a folder under the spool).</summary>
    public string? UploadDirectory { get; set; }
}
