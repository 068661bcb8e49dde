using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Backups;

// Over STYLE.md's 300 lines (346): the next change here moves Record/FailCopies/FirstLine (the outcome) into
// BackupRunner.Outcome.cs as a partial class; not done in the closing minutes of issue 17 to keep the diff reviewable.
/// <summary>
/// Runs one queued backup: lock the domain, clean what earlier crashed runs left, write every component and copy it to
/// every chosen destination (each copy read back before it counts, see <see cref="CopyTargets"/>), commit the
/// manifest, record the result: Succeeded, PartiallySucceeded (which copies failed and why) or Failed. A failed or
/// cancelled run removes its partial folders and never looks complete.
/// </summary>
public sealed class BackupRunner(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DomainService domains, DestinationStorage storage, EncryptionService encryption,
    IBackupRunOptions planOptions, RunLifecycle lifecycle, RunEvents events, IBackgroundJobClient jobs, TimeProvider clock, ILogger<BackupRunner> logger,
    Security.Paths.PathGuard paths)
{
    private static readonly string Tool = $"BackupPanel {typeof(BackupRunner).Assembly.GetName().Version?.ToString(3)}";

    public Task RunAsync(Guid backupId, CancellationToken ct) => RunAsync(backupId, null, ct);

    /// <summary>
    /// Runs the backup if its domain is free; returns false, with nothing recorded, while another run of the domain
    /// holds it (the job tries again shortly: several backups of one domain queued at once run one after another).
    /// </summary>
    public async Task<bool> RunWhenDomainFreeAsync(Guid backupId, CancellationToken ct) => await RunAsync(backupId, null, ct, waitForDomain: true).ConfigureAwait(false);

    /// <summary>
    /// Runs the backup with components from <paramref name="sources"/> (given the domain and the warnings list) instead
    /// of the domain's roots and databases: an import stores an archive's content this way, with every guarantee of a
    /// backup (read-back copies, manifest last, nothing left behind on failure).
    /// </summary>
    internal async Task<bool> RunAsync(Guid backupId, Func<Domain, List<string>, List<PlannedComponent>>? sources, CancellationToken ct, bool waitForDomain = false)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var backup = await db.Backups.Include(b => b.Components).Include(b => b.Copies).SingleOrDefaultAsync(b => b.Id == backupId, ct).ConfigureAwait(false);
        if (backup is not { Status: BackupStatus.Queued })
        {
            return true; // already ran, or removed: running twice must not make a second backup
        }

        var held = new Held();
        if (waitForDomain && backup.DomainId is { } domainId)
        {
            held.Lock = await RunLock.TryAcquireAsync(db.Database.GetConnectionString()!, RunLockScope.Domain, domainId, ct).ConfigureAwait(false);
            if (held.Lock is null)
            {
                return false;
            }

            // Read again under the lock: a second job for the same backup (one re-queued after a node died) may have run it meanwhile.
            await db.Entry(backup).ReloadAsync(ct).ConfigureAwait(false);
            if (backup.Status != BackupStatus.Queued)
            {
                await held.DisposeAsync().ConfigureAwait(false);
                return true;
            }
        }

        if (backup.CancelRequested)
        {
            backup.Status = BackupStatus.Cancelled;
            backup.Error = "Cancelled before it started.";
            backup.FinishedAt = clock.GetUtcNow();
            FailCopies(backup, "cancelled");
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await held.DisposeAsync().ConfigureAwait(false);
            return true;
        }

        var options = backup.PlanId is { } planId ? await planOptions.ForPlanAsync(planId, ct).ConfigureAwait(false) ?? new() : new BackupRunOptions();
        var log = lifecycle.NewLog();
        log.Continue(backup.Log); // empty, unless an earlier attempt was interrupted (InterruptedBackups)
        try
        {
            var outcome = await lifecycle.WorkAsync(log, BackupProgress.Flush(backup.Id), null, run => BackUpAsync(db, backup, held, run, options, sources), ct)
                .ConfigureAwait(false);
            Record(backup, outcome, held, log, options);
            if (outcome.Result != RunResult.Succeeded)
            {
                await RemovePartialAsync(held.Targets, backup).ConfigureAwait(false);
            }

            await lifecycle.FinishAsync(db, backup, log).ConfigureAwait(false);
            await held.DisposeAsync().ConfigureAwait(false);
            if (backup.Status is BackupStatus.Succeeded or BackupStatus.PartiallySucceeded)
            {
                // After the result is saved: the verification the plan asks for, then what follows a plan's backup (its retention).
                if (options.VerifyAfter) jobs.Enqueue<VerifyBackupJob>(job => job.RunAsync(backup.Id, CancellationToken.None));
                events.Raise(new RunEvent(RunKind.Backup, RunStage.Stored, backup.Id, backup.PlanId));
            }

            logger.LogInformation("Backup {BackupId} of {Domain}: {Status}", backup.Id, backup.DomainName, backup.Status);
            outcome.ThrowIfBug();
            return true;
        }
        finally
        {
            await held.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The work of the run: lock the domain, open the destinations, clean leftovers, write and copy every component.</summary>
    private async Task BackUpAsync(BackupPanelDbContext db, Backup backup, Held held, RunContext run, BackupRunOptions options,
        Func<Domain, List<string>, List<PlannedComponent>>? sources)
    {
        var (domain, chosen) = await LoadAsync(db, backup, run.Log, run.Token).ConfigureAwait(false);
        held.Lock ??= await RunLock.TryAcquireAsync(db.Database.GetConnectionString()!, RunLockScope.Domain, domain.Id, run.Token).ConfigureAwait(false)
            ?? throw new RunFailedException($"Another backup of {domain.Name} is running; one at a time per domain.");
        var earlierAttempt = backup.FolderKey; // set only when an attempt was interrupted and this backup was queued again
        held.Targets = await StartAsync(db, backup, domain, chosen, run.Log, run.Token).ConfigureAwait(false);
        if (earlierAttempt is not null && earlierAttempt != backup.FolderKey)
        {
            // Whatever it wrote goes, complete or not: its manifest may have landed before its node died unrecorded,
            // and one backup must not leave two folders.
            await held.Targets.RemoveAllAsync(earlierAttempt).ConfigureAwait(false);
            run.Log.Add($"Removed what the interrupted attempt had written ({earlierAttempt}).");
        }
        if (held.Targets.SpoolDirectory is { } spool)
        {
            SpoolSpace.Require(spool, domain, backup.Type);
        }

        await held.Targets.CleanLeftoversAsync(domain.Name + "/", run.Token).ConfigureAwait(false);
        await WriteAsync(backup, domain, held, run, options, sources).ConfigureAwait(false);
    }

    /// <summary>Marks the backup Running at its folder and opens its destinations (nothing after the opening may throw).</summary>
    private async Task<CopyTargets> StartAsync(
        BackupPanelDbContext db, Backup backup, Domain domain, List<(BackupCopy Copy, Destination Destination)> chosen, RunLog log, CancellationToken ct)
    {
        backup.Status = BackupStatus.Running;
        backup.StartedAt = clock.GetUtcNow();
        backup.FolderKey = ArchiveLayout.FolderKey(domain.Name, backup.StartedAt.Value, backup.Id);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var targets = CopyTargets.Open(chosen, storage, Path.Combine(storage.SpoolDirectory, backup.Id.ToString("N")), log);
        log.Add($"Backing up {domain.Name} ({backup.Type}) to {string.Join(", ", chosen.Select(c => c.Destination.Name))}.");
        return targets;
    }

    /// <summary>The backup's status, error and copies from how its work ended.</summary>
    private void Record(Backup backup, RunOutcome outcome, Held held, RunLog log, BackupRunOptions options)
    {
        var targets = held.Targets;
        switch (outcome.Result)
        {
            case RunResult.Succeeded:
                backup.Status = targets!.Finish(clock.GetUtcNow());
                if (held.FailedParts.Count > 0 && backup.Status == BackupStatus.Succeeded)
                {
                    backup.Status = BackupStatus.PartiallySucceeded; // what worked is kept; what did not is named
                }

                var notBackedUp = held.FailedParts.Count > 0 ? "Not backed up: " + string.Join("; ", held.FailedParts) + "." : null;
                backup.Error = string.Join(" ", new[] { notBackedUp, targets.FailedCopies() }.Where(e => e is not null)) is { Length: > 0 } error
                    ? RunLog.Clip(error, 4000) : null;
                log.Add(backup.Status == BackupStatus.PartiallySucceeded ? "Partially succeeded: " + backup.Error
                    : backup.WarningCount > 0 ? $"Succeeded with {backup.WarningCount} warning(s)." : "Succeeded.");
                if (options.VerifyAfter)
                {
                    log.Add("Verification queued: the plan verifies every backup it makes.");
                }

                break;
            case RunResult.Cancelled:
                FailCopies(backup, "cancelled");
                backup.Status = BackupStatus.Cancelled;
                backup.Error = "Cancelled before it finished; nothing of it was kept.";
                log.Add(backup.Error);
                break;
            default:
                backup.Status = BackupStatus.Failed;
                backup.Error = outcome.Error;
                // Only a storage error is the destination's; any other reason means the copies were never written.
                FailCopies(backup, outcome.Cause is StorageException && !outcome.IsBug ? outcome.Error! : BackupCopy.NotWritten(outcome.Error!));
                break;
        }
    }

    private async Task<(Domain Domain, List<(BackupCopy Copy, Destination Destination)> Chosen)> LoadAsync(
        BackupPanelDbContext db, Backup backup, RunLog log, CancellationToken ct)
    {
        var domain = (backup.DomainId is { } id ? await domains.GetAsync(id, ct).ConfigureAwait(false) : null)
            ?? throw new RunFailedException($"The domain {backup.DomainName} was removed from the panel.");
        var chosen = new List<(BackupCopy, Destination)>();
        foreach (var copy in backup.Copies.Where(c => c.Status == BackupCopyStatus.Pending).OrderBy(c => c.DestinationName, StringComparer.Ordinal))
        {
            var destination = await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == copy.DestinationId, ct).ConfigureAwait(false);
            if (destination is null)
            {
                copy.Status = BackupCopyStatus.Failed;
                copy.Error = $"The destination {copy.DestinationName} was removed from the panel.";
                log.Add(copy.Error);
                continue;
            }

            chosen.Add((copy, destination));
        }

        return (domain, chosen.Count > 0 ? chosen : throw new RunFailedException(
            backup.Copies.Count == 0 ? "The backup has no destination." : $"The destination {backup.Copies[0].DestinationName} was removed from the panel."));
    }

    private async Task WriteAsync(Backup backup, Domain domain, Held held, RunContext run, BackupRunOptions options,
        Func<Domain, List<string>, List<PlannedComponent>>? sources)
    {
        var targets = held.Targets!;
        var (progress, log, ct) = (run.Progress, run.Log, run.Token);
        var warnings = new List<string>();
        foreach (var root in sources is null ? BackupSources.Roots(domain, backup.Type) : [])
        {
            // Again at run time: the allowed roots may have been narrowed since the domain was saved.
            if (await paths.CheckAsync(root, Security.Paths.PathUse.Data, ct).ConfigureAwait(false) is { } refused)
            {
                throw new RunFailedException("Nothing was backed up: " + refused);
            }
        }

        var plan = sources?.Invoke(domain, warnings) ?? BackupSources.Plan(domain, backup.Type, domains, warnings);
        if (plan.Count == 0)
        {
            throw new RunFailedException($"A {backup.Type} backup of {domain.Name} has nothing to back up: the domain has no {Describe(backup.Type)}.");
        }

        progress.Total = sources is null ? BackupSources.EstimateTotal(domain, backup.Type) : null;
        IReadOnlyList<AgeRecipient> recipients = options.Encrypt ? await encryption.RecipientsAsync(ct).ConfigureAwait(false) : [];
        backup.Encrypted = recipients.Count > 0;
        if (!options.Encrypt)
        {
            log.Add("Not encrypted: the plan turns encryption off.");
        }

        var writer = new ArchiveWriter(targets.Primary, backup.FolderKey!, new ArchiveWriteOptions { Recipients = recipients, CompressionLevel = options.CompressionLevel });
        var components = new List<ArchiveComponent>();
        foreach (var item in plan)
        {
            progress.Phase(item.Phase);
            log.Add($"Writing {item.Phase}…");
            ArchiveComponent component;
            try
            {
                component = await writer.WriteComponentAsync(item.Kind, item.Database, item.Produce, progress.Report, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ExpectedFailure.Is(ex) && !ExpectedFailure.IsBadCopy(ex) && !ct.IsCancellationRequested)
            {
                // One part that cannot be read (a database with a wrong password, a dump that died) does not throw away
                // the others: each is attempted, what worked is committed, and the run says which part failed and why.
                held.FailedParts.Add($"{item.Phase} ({FirstLine(ex.Message)})");
                log.Add($"Failed: {item.Phase}: {ex.Message}");
                continue;
            }

            components.Add(component);
            log.Add($"{component.Name}: {component.PlainSize:N0} bytes → {component.StoredSize:N0} stored, read back and checked.");
            await targets.ReplicateAsync(backup.FolderKey + component.Name, component, progress, ct).ConfigureAwait(false);
        }

        if (components.Count == 0)
        {
            throw new RunFailedException("Nothing was backed up: " + string.Join("; ", held.FailedParts) + ".");
        }

        progress.Phase("committing");
        var manifest = new ArchiveManifest
        {
            BackupId = backup.Id, Domain = domain.Name, Type = backup.Type.ToString(), StartedAt = backup.StartedAt!.Value,
            FinishedAt = clock.GetUtcNow(), Tool = Tool, Components = components,
        };
        var json = manifest.ToJson();
        // Signed by the panel's key just before the manifest commits the backup: a manifest forged at a destination,
        // even encrypted to the panel's public key, cannot carry it (docs/FORMAT.md).
        var signer = await encryption.PanelIdentityAsync(ct).ConfigureAwait(false);
        var signature = ManifestSignature.Sign(json, signer);
        await targets.CommitAsync(backup.FolderKey!, json, signature, ct).ConfigureAwait(false);
        backup.ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(json));
        backup.Components.AddRange(components.Select(BackupComponent.From));
        backup.StoredBytes = components.Sum(c => c.StoredSize);
        backup.PlainBytes = components.Sum(c => c.PlainSize);
        backup.WarningCount = warnings.Count;
        foreach (var warning in warnings)
        {
            log.Add("Warning: " + warning);
        }
    }

    private static async Task RemovePartialAsync(CopyTargets? targets, Backup backup)
    {
        if (targets is not null && backup.FolderKey is not null)
        {
            await targets.RemoveAllAsync(backup.FolderKey).ConfigureAwait(false);
        }
    }

    private static void FailCopies(Backup backup, string reason)
    {
        foreach (var copy in backup.Copies.Where(c => c.Status == BackupCopyStatus.Pending))
        {
            copy.Status = BackupCopyStatus.Failed;
            copy.Error = reason;
        }
    }

    private static string Describe(BackupType type) => type switch
    {
        BackupType.Files => "files root",
        BackupType.Database => "databases",
        BackupType.Email => "mail root",
        _ => "files root, databases or mail root",
    };

    /// <summary>The first line of a tool's message, cut to 300 characters: the cause, for the summary (the log keeps it whole).</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    /// <summary>What a run holds until its result is saved: its destinations, then its domain's lock (released in that order, once).</summary>
    private sealed class Held : IAsyncDisposable
    {
        /// <summary>The parts this run could not back up, each with its cause.</summary>
        public List<string> FailedParts { get; } = [];

        public CopyTargets? Targets { get; set; }

        public RunLock? Lock { get; set; }

        public async ValueTask DisposeAsync()
        {
            var (targets, runLock) = (Targets, Lock);
            (Targets, Lock) = (null, null);
            if (targets is not null) await targets.DisposeAsync().ConfigureAwait(false);
            if (runLock is not null) await runLock.DisposeAsync().ConfigureAwait(false);
        }
    }
}
