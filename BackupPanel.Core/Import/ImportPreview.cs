namespace BackupPanel.Core.Import;

/// <summary>
/// What an archive holds, before anything is imported: its format, each domain with its files, databases and
/// mailboxes, and warnings for everything that will not be imported. Also what <c>import inspect</c> prints as JSON.
/// </summary>
public sealed record ImportPreview
{
    /// <summary>"cPanel", "Virtualmin" or "Plesk".</summary>
    public string Format { get; init; } = "";

    /// <summary>The exporting tool's version as the archive records it, when it does.</summary>
    public string? Version { get; init; }

    /// <summary>"gzip", "zstd", "none" (a plain tar) or "folder" (an unpacked archive).</summary>
    public string Compression { get; init; } = "";

    /// <summary>Size of the archive file (0 for a folder).</summary>
    public long ArchiveBytes { get; init; }

    public IReadOnlyList<ImportDomainPreview> Domains { get; init; } = [];

    /// <summary>Everything that will not be imported, and why; nothing is skipped silently.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One domain of an archive. The <c>Source</c> paths say where in the archive each part is (nested archives as folders).</summary>
public sealed record ImportDomainPreview
{
    public string Name { get; init; } = "";

    /// <summary>Regular files of the web content (what becomes the domain's files root) and their bytes.</summary>
    public long Files { get; init; }

    public long FileBytes { get; init; }

    /// <summary>The folder in the archive the web content is read from (ends with '/').</summary>
    public string FilesSource { get; init; } = "";

    /// <summary>Sub-folders of <see cref="FilesSource"/> left out of the web content (mail, logs, configuration with passwords).</summary>
    public IReadOnlyList<string> FilesExcluded { get; init; } = [];

    public IReadOnlyList<ImportDatabasePreview> Databases { get; init; } = [];

    public IReadOnlyList<ImportMailboxPreview> Mailboxes { get; init; } = [];
}

/// <summary>One database dump: engine ("mysql" or "postgresql"), name, dump size, dump format and the archive entry it is in.</summary>
public sealed record ImportDatabasePreview(string Engine, string Name, long Bytes, string DumpFormat, string Source);

/// <summary>One Maildir mailbox: address, messages (files in cur/ and new/), their bytes, and its folder in the archive.</summary>
public sealed record ImportMailboxPreview(string Address, long Messages, long Bytes, string Source);
