using BackupPanel.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Retention;

/// <summary>Retention as a Hangfire job: after each backup a plan makes, and nightly for every plan.</summary>
public sealed partial class ApplyRetentionJob(
    RetentionService retention, Notifications.EventReports reports, IDbContextFactory<BackupPanelDbContext> dbFactory, ILogger<ApplyRetentionJob> log)
{
    /// <summary>The nightly job's recurring id.</summary>
    public const string NightlyId = "retention-nightly";

    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Retention of plan {0}")]
    public async Task RunAsync(Guid planId, CancellationToken ct)
    {
        var report = await retention.ApplyAsync(planId, ct).ConfigureAwait(false);
        LogReport(log, planId, report.CopiesDeleted, report.BackupsRemoved, string.Join(" | ", report.Problems));
        await reports.RetentionDeletedAsync(planId, report.Deleted, report.Problems, ct).ConfigureAwait(false); // "retention deleted", when it did
    }

    [Queue("maintenance")]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Retention of every plan")]
    public async Task RunAllAsync(CancellationToken ct)
    {
        List<Guid> plans;
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            plans = await db.Plans.AsNoTracking().Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false);
        }

        foreach (var plan in plans)
        {
            await RunAsync(plan, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention of plan {PlanId}: {Copies} copies deleted, {Backups} backups removed. {Problems}")]
    private static partial void LogReport(ILogger logger, Guid planId, int copies, int backups, string problems);
}
