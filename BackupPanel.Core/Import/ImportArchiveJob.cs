using Hangfire;

namespace BackupPanel.Core.Import;

/// <summary>The Hangfire adapters of imports: inspecting an archive, and importing it. Never retried automatically.</summary>
public sealed class ImportArchiveJob(ImportInspection inspection, ImportRunner runner)
{
    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Inspect import {0}")]
    public Task InspectAsync(Guid importId, CancellationToken ct) => inspection.RunAsync(importId, ct);

    [Queue("restores")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Import {0}")]
    public Task RunAsync(Guid importId, CancellationToken ct) => runner.RunAsync(importId, ct);
}
