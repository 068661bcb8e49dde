using BackupPanel.Core.Backups;
using BackupPanel.Core.Dashboard;
using BackupPanel.Core.Data;
using BackupPanel.Core.Notifications;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Schedules;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BackupPanel.Tests.Notifications;

/// <summary>Each remaining event, raised by the real code path, arrives by email at the real SMTP server with its facts.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class NotificationEventTests(AppFixture app) : IAsyncDisposable
{
    private readonly NotificationBed _n = new(app);

    public ValueTask DisposeAsync() => _n.DisposeAsync();

    [Fact]
    public async Task ACopyThatCannotBeWritten_PartiallySucceeded_AndDestinationUnreachable_OncePerDay()
    {
        await _n.UseEmailAsync();
        var good = await _n.Bed.AddDestinationAsync(Path.Combine(_n.Bed.Dir, "good"), "A good "); // first by name: the run's primary
        var badPath = Path.Combine(_n.Bed.Dir, "bad");
        var bad = await _n.Bed.AddDestinationAsync(badPath, "Z bad ");
        Directory.Delete(badPath);
        await File.WriteAllTextAsync(badPath, "a file where the destination's folder was");
        var (plan, domain) = await _n.PlanAsync(destinations: [good, bad]);

        var first = await _n.RunAsync(plan);
        var second = await _n.RunAsync(plan);

        Assert.True(first.Status == BackupStatus.PartiallySucceeded && second.Status == BackupStatus.PartiallySucceeded, first.Error);
        var partial = await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Backup partially succeeded: {domain.Name}");
        Assert.Contains("(Failed)", partial.TextBody, StringComparison.Ordinal);
        var unreachable = await _n.Smtp.WaitForAsync(NotificationBed.Admin, "Destination unreachable: ");
        Assert.Contains($"Domain: {domain.Name}", unreachable.TextBody, StringComparison.Ordinal);
        await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Backup partially succeeded: {domain.Name}"); // the second run's, at least queued
        await Poll.UntilAsync(async () => (await _n.LogAsync(n => n.BackupId == second.Id)).Count > 0, "the second run's report");
        Assert.Single(await _n.LogAsync(n => n.Event == NotificationEvents.DestinationUnreachable && n.Recipient == NotificationBed.Admin
            && n.DomainName == domain.Name));
    }

    [Fact]
    public async Task MissedRun_OneEmailListingItsDomains_AndAFailPing()
    {
        await _n.UseEmailAsync();
        var (plan, domain) = await _n.PlanAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.Date.AddDays(1).AddHours(9)); // 10:00 in Paris, 7.5 h after 02:30
        var runner = new PlanRunner(app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>(), _n.Bed.Backups,
            app.Services.GetRequiredService<IBackgroundJobClient>(), new PlanRunnerOptions { CatchUpWindowHours = 6 }, clock, NullLogger<PlanRunner>.Instance);

        await runner.RunScheduledAsync(plan.Id, default);

        var message = await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Run missed: plan {plan.Name} did not run on time");
        Assert.Contains("- " + domain.Name, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("catch-up window", message.TextBody, StringComparison.Ordinal);
        await _n.Http.WaitForAsync(r => r.PathAndQuery.StartsWith("/ping/abc-123/fail?rid=", StringComparison.Ordinal), "the fail ping");
    }

    [Fact]
    public async Task VerifyFailed_RestoreFinished_RetentionDeleted()
    {
        await _n.UseEmailAsync();
        var (plan, domain) = await _n.PlanAsync(retention: new RetentionRules { KeepLast = 1 });
        var older = await _n.RunAsync(plan);
        var newer = await _n.RunAsync(plan);

        var retention = await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Retention deleted backups: plan {plan.Name} deleted 1 old backup copy");
        Assert.Contains($"- {domain.Name} Files of {older.CreatedAt:yyyy-MM-dd HH:mm} UTC", retention.TextBody, StringComparison.Ordinal);

        var folder = _n.Bed.FolderOf(newer);
        var component = Path.Combine(folder, newer.Components[0].Name);
        await using (var f = File.Open(component, FileMode.Open)) f.SetLength(f.Length - 10);
        await _n.Bed.Backups.VerifyAsync(newer.Id, BackupTestBed.Operator, default);
        var verify = await _n.Smtp.WaitForAsync(NotificationBed.Admin, $"Verification failed: {domain.Name}");
        Assert.Contains("Error: ", verify.TextBody, StringComparison.Ordinal);

        var run = await _n.Bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = newer.Id, TargetDirectory = Path.Combine(_n.Bed.Dir, "restored") });
        var restore = await _n.Smtp.WaitForAsync(BackupTestBed.Operator.UserName, $"Restore finished: restore of {domain.Name}: {run.Status}");
        Assert.Contains($"Requested by {BackupTestBed.Operator.UserName}", restore.TextBody, StringComparison.Ordinal);
        await _n.Smtp.WaitForAsync(NotificationBed.Admin, $"Restore finished: restore of {domain.Name}");
    }

    [Fact]
    public async Task BulkRestoreFinished_RequesterGetsTheSummaryWithEachFailure()
    {
        await _n.UseEmailAsync();
        var (plan, domain) = await _n.PlanAsync();
        var good = await _n.RunAsync(plan);
        var broken = await _n.RunAsync(plan);
        var component = Path.Combine(_n.Bed.FolderOf(broken), broken.Components[0].Name);
        await using (var f = File.Open(component, FileMode.Open)) f.SetLength(f.Length - 10);
        var bulk = new BackupPanel.Tests.Restore.BulkBed(app);
        try
        {
            var report = await bulk.CheckAsync(new BackupPanel.Core.Restore.Bulk.BulkRestoreRequest { BackupIds = [good.Id, broken.Id], AlternateRoot = Path.Combine(_n.Bed.Dir, "bulk") });
            await bulk.ConfirmAndWaitAsync(report.Batch.Id);
        }
        finally
        {
            bulk.Dispose();
        }

        var message = await _n.Smtp.WaitForAsync(BackupTestBed.Operator.UserName, "Restore finished: bulk restore of 2 backups: 1 succeeded, 1 failed");
        Assert.Contains("2 total: 1 succeeded, 1 failed, 0 skipped, 0 cancelled", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{domain.Name}: failed — ", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("/restore/bulk/", message.TextBody, StringComparison.Ordinal);
        await _n.Smtp.WaitForAsync(NotificationBed.Admin, "Restore finished: bulk restore of 2 backups");
    }

    [Fact]
    public async Task DomainAtRisk_OncePerEpisode()
    {
        await _n.UseEmailAsync();
        var (plan, domain) = await _n.PlanAsync(schedule: new Schedule { Kind = ScheduleKind.Hourly, Minute = 0, TimeZone = "UTC" });
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync())
        {
            var at = DateTimeOffset.UtcNow.AddHours(-5);
            db.Backups.Add(new Backup
            {
                Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Type = BackupType.Files, Status = BackupStatus.Succeeded,
                CreatedAt = at, StartedAt = at, FinishedAt = at, RequestedBy = "test", PlanId = plan.Id,
            });
            await db.SaveChangesAsync();
        }

        var watch = app.Services.GetRequiredService<WatchJob>();
        await watch.RunAsync(default);
        await watch.RunAsync(default);

        var message = await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Domain at risk: {domain.Name} has no recent good backup");
        Assert.Contains($"plan {plan.Name} runs at least every 60 min", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Last good backup: ", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{NotificationBed.PanelUrl}domains/{domain.Id}", message.TextBody, StringComparison.Ordinal);
        Assert.Single(await _n.LogAsync(n => n.Event == NotificationEvents.DomainAtRisk && n.DomainName == domain.Name && n.Recipient == NotificationBed.PlanAddress));
    }
}
