namespace BackupPanel.Core.Import;

/// <summary>Where an import is.</summary>
public enum ImportStatus
{
    /// <summary>The archive is being fetched and inspected (a job); nothing is written.</summary>
    Inspecting,

    /// <summary>The preview is ready; the person chooses what to import and where.</summary>
    Ready,

    /// <summary>The archive was refused (format, hostile content, size): <see cref="ImportRun.Error"/> says why.</summary>
    Refused,
    Queued,
    Running,
    Succeeded,

    /// <summary>Some domains were imported, others failed (each failed one was rolled back).</summary>
    PartiallySucceeded,
    Failed,
}

/// <summary>One archive brought in from cPanel, Virtualmin or Plesk: its source, preview, the choices made, and the outcome per domain.</summary>
public sealed class ImportRun
{
    public Guid Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string RequestedBy { get; set; } = "";

    /// <summary>What the person gave: the uploaded file's name, a path on the server, or DESTINATION:KEY.</summary>
    public string SourceName { get; set; } = "";

    /// <summary>The archive on this server's disk (an upload, a download from a destination, or the given path).</summary>
    public string ArchivePath { get; set; } = "";

    /// <summary>The panel made <see cref="ArchivePath"/> (upload or download): it removes it after a successful import.</summary>
    public bool OwnsArchive { get; set; }

    /// <summary>For an object on a destination: which one, and the key.</summary>
    public Guid? SourceDestinationId { get; set; }

    public string? SourceKey { get; set; }

    public ImportStatus Status { get; set; }

    /// <summary>The <see cref="ImportPreview"/> as JSON, once inspected.</summary>
    public string? PreviewJson { get; set; }

    /// <summary>The choices (<see cref="ImportRequest"/> as JSON, database passwords encrypted).</summary>
    public string? RequestJson { get; set; }

    /// <summary>Per domain: how its import went (<see cref="ImportDomainResult"/> list as JSON).</summary>
    public string? ResultsJson { get; set; }

    public string? Error { get; set; }

    public string? Phase { get; set; }

    /// <summary>The imported backup being written now (its live progress shows on the import's page).</summary>
    public Guid? CurrentBackupId { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string Log { get; set; } = "";

    public bool IsBusy => Status is ImportStatus.Inspecting or ImportStatus.Queued or ImportStatus.Running;
}

/// <summary>How one domain's import went: its imported backup when it got one, and the error when it failed.</summary>
public sealed record ImportDomainResult(string Domain, bool Succeeded, bool Created, Guid? BackupId, string? Error);
