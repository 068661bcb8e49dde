using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Schedules;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Plans;

/// <summary>Plans against the real app: stored, validated, audited, and Hangfire's recurring jobs kept equal to them.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class PlanServiceTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    private PlanService Plans => app.Services.GetRequiredService<PlanService>();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Create_StoresThePlanAndAddsItsRecurringJobInItsTimeZone()
    {
        var input = await ValidInputAsync();

        var result = await Plans.CreateAsync(input, BackupTestBed.Operator, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        var plan = (await Plans.GetAsync(result.Id!.Value, default))!;
        Assert.Equal(input.Schedule, plan.Schedule);
        Assert.Equal(input.Retention, plan.Retention);
        Assert.Equal(input.DomainIds, plan.Domains.Select(d => d.DomainId));
        var job = RecurringJob(plan.Id);
        Assert.Equal("30 2 * * *", job?.Cron);
        Assert.Equal("Europe/Paris", job?.TimeZoneId);
    }

    [Fact]
    public async Task EncryptionOff_OnlyAnAdminTurnsItOff_AnOperatorMayKeepItOff()
    {
        var input = await ValidInputAsync();
        input.Encrypt = false;

        var byOperator = await Plans.CreateAsync(input, BackupTestBed.Operator, default);

        Assert.False(byOperator.Succeeded);
        Assert.Contains("Only an Admin", byOperator.Errors[nameof(PlanInput.Encrypt)], StringComparison.Ordinal);
        input.Encrypt = true;
        var id = (await Plans.CreateAsync(input, BackupTestBed.Operator, default)).Id!.Value;
        input.Encrypt = false;
        Assert.False((await Plans.UpdateAsync(id, input, BackupTestBed.Operator, default)).Succeeded);
        Assert.True((await Plans.GetAsync(id, default))!.Encrypt);

        Assert.True((await Plans.UpdateAsync(id, input, BackupTestBed.Admin, default)).Succeeded);
        input.Name += " (renamed)";
        Assert.True((await Plans.UpdateAsync(id, input, BackupTestBed.Operator, default)).Succeeded); // kept off, as the Admin chose
        Assert.False((await Plans.GetAsync(id, default))!.Encrypt);
    }

    [Fact]
    public async Task EditDisableEnableDelete_KeepTheRecurringJobInSync()
    {
        var input = await ValidInputAsync();
        var id = (await Plans.CreateAsync(input, BackupTestBed.Operator, default)).Id!.Value;

        input.Schedule = new Schedule { Kind = ScheduleKind.Weekly, DayOfWeek = DayOfWeek.Monday, Hour = 4, Minute = 5, TimeZone = "America/New_York" };
        Assert.True((await Plans.UpdateAsync(id, input, BackupTestBed.Operator, default)).Succeeded);
        Assert.Equal(("5 4 * * 1", "America/New_York"), (RecurringJob(id)?.Cron, RecurringJob(id)?.TimeZoneId));

        input.Enabled = false;
        Assert.True((await Plans.UpdateAsync(id, input, BackupTestBed.Operator, default)).Succeeded);
        Assert.Null(RecurringJob(id));

        input.Enabled = true;
        Assert.True((await Plans.UpdateAsync(id, input, BackupTestBed.Operator, default)).Succeeded);
        Assert.NotNull(RecurringJob(id));

        Assert.True((await Plans.DeleteAsync(id, BackupTestBed.Operator, default)).Succeeded);
        Assert.Null(RecurringJob(id));
        Assert.Null(await Plans.GetAsync(id, default));
    }

    [Fact]
    public async Task SyncAll_AfterARestart_RestoresMissingJobsAndRemovesOrphans()
    {
        var id = (await Plans.CreateAsync(await ValidInputAsync(), BackupTestBed.Operator, default)).Id!.Value;
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.RemoveIfExists(PlanScheduler.JobIdOf(id)); // lost, as if the job storage had been reset
        var orphan = Guid.NewGuid();
        recurring.AddOrUpdate<RunPlanJob>(PlanScheduler.JobIdOf(orphan), j => j.RunAsync(orphan, CancellationToken.None), "0 0 * * *");

        await app.Services.GetRequiredService<PlanScheduler>().SyncAllAsync(default);

        Assert.NotNull(RecurringJob(id));
        Assert.Null(RecurringJob(orphan));
    }

    [Fact]
    public async Task Create_InvalidInput_ErrorsAtEachFieldAndNothingStored()
    {
        var input = new PlanInput
        {
            Name = new string('x', 101), Schedule = new Schedule { Kind = ScheduleKind.Cron, Cron = "61 * * * *", TimeZone = "Mars/Base" },
            Retention = new RetentionRules { KeepDaily = -5 }, CompressionLevel = 25,
        };

        var result = await Plans.CreateAsync(input, BackupTestBed.Operator, default);

        Assert.False(result.Succeeded);
        Assert.Equal(
            ["CompressionLevel", "Destinations", "DomainIds", "Name", "Retention.KeepDaily", "Schedule.Cron", "Schedule.TimeZone"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_UnknownDomainOrDuplicateName_ClearErrors()
    {
        var input = await ValidInputAsync();
        Assert.True((await Plans.CreateAsync(input, BackupTestBed.Operator, default)).Succeeded);

        var duplicate = await Plans.CreateAsync(input, BackupTestBed.Operator, default);
        input.Name += " 2";
        input.DomainIds = [Guid.NewGuid()];
        var unknown = await Plans.CreateAsync(input, BackupTestBed.Operator, default);

        Assert.Equal("Another plan has this name.", duplicate.Errors["Name"]);
        Assert.Equal("A chosen domain does not exist (any more).", unknown.Errors["DomainIds"]);
    }

    [Fact]
    public async Task RunNow_QueuesABackupPerDomain_AndSkipsADomainStillRunning()
    {
        var input = await ValidInputAsync();
        var busy = await _bed.AddDomainAsync(new DomainInput { FilesRoot = SourceDir() });
        input.DomainIds.Add(busy.Id);
        var id = (await Plans.CreateAsync(input, BackupTestBed.Operator, default)).Id!.Value;
        var running = await MarkRunningAsync(busy);

        var started = await Plans.RunNowAsync(id, BackupTestBed.Operator, default);

        Assert.Equal(2, started.Count);
        var backups = await Task.WhenAll(started.Select(b => _bed.Backups.GetAsync(b, default)));
        Assert.All(backups, b => Assert.Equal((id, $"plan {input.Name}"), (b!.PlanId, b.RequestedBy)));
        var skipped = Assert.Single(backups, b => b!.DomainId == busy.Id)!;
        Assert.Equal(BackupStatus.Skipped, skipped.Status);
        Assert.Contains("still running", skipped.Error, StringComparison.Ordinal);
        Assert.NotEqual(running, skipped.Id);
        var queued = Assert.Single(backups, b => b!.DomainId != busy.Id)!;
        Assert.NotNull(queued.JobId);
        Assert.Equal(BackupStatus.Succeeded, (await _bed.WaitFinishedAsync(queued.Id)).Status); // the worker ran it to the plan's destination
    }

    [Fact]
    public async Task RunNow_ThePlansOptionsReachTheBackup_UnencryptedAndVerifiedAfter()
    {
        var input = await ValidInputAsync();
        (input.Encrypt, input.VerifyAfterBackup, input.CompressionLevel) = (false, true, 19);
        var id = (await Plans.CreateAsync(input, BackupTestBed.Admin, default)).Id!.Value;

        var backupId = Assert.Single(await Plans.RunNowAsync(id, BackupTestBed.Operator, default));
        var backup = await _bed.WaitFinishedAsync(backupId);

        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        Assert.False(backup.Encrypted);
        Assert.NotEmpty(backup.Components);
        Assert.All(backup.Components, c => Assert.EndsWith(".zst", c.Name, StringComparison.Ordinal));
        Assert.Contains("Not encrypted: the plan turns encryption off.", backup.Log, StringComparison.Ordinal);
        await Poll.UntilAsync(async () => (await _bed.Backups.GetAsync(backupId, default))?.VerifiedAt is not null, "the verification the plan asks for");
        Assert.True((await _bed.Backups.GetAsync(backupId, default))!.VerifySucceeded);
    }

    [Theory]
    [InlineData("2026-12-03T01:40:00Z", false)] // 02:40 in Paris: ten minutes after 02:30, it runs
    [InlineData("2026-12-03T07:29:00Z", false)] // just inside the six hours
    [InlineData("2026-12-03T09:00:00Z", true)] // the panel came back at 10:00 Paris: too late, Missed
    public async Task Scheduled_LateStart_RunsWithinTheCatchUpWindowElseRecordsMissed(string now, bool missed)
    {
        var input = await ValidInputAsync(); // daily 02:30 Europe/Paris
        var id = (await Plans.CreateAsync(input, BackupTestBed.Operator, default)).Id!.Value;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        var runner = new PlanRunner(app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>(), _bed.Backups, app.Services.GetRequiredService<Hangfire.IBackgroundJobClient>(),
            new PlanRunnerOptions { CatchUpWindowHours = 6 }, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<PlanRunner>.Instance);

        var backup = await _bed.Backups.GetAsync(Assert.Single(await runner.RunScheduledAsync(id, default)), default);

        Assert.Equal(missed, backup!.Status == BackupStatus.Missed);
        if (missed)
        {
            Assert.Contains("due at 2026-12-03 01:30 UTC", backup.Error, StringComparison.Ordinal);
            Assert.Contains("catch-up window of 6 h", backup.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(BackupStatus.Succeeded, (await _bed.WaitFinishedAsync(backup.Id)).Status);
        }
    }

    [Fact]
    public async Task RunNow_DisabledPlan_IsRefused()
    {
        var input = await ValidInputAsync();
        input.Enabled = false;
        var id = (await Plans.CreateAsync(input, BackupTestBed.Operator, default)).Id!.Value;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Plans.RunNowAsync(id, BackupTestBed.Operator, default));

        Assert.Contains("disabled", ex.Message, StringComparison.Ordinal);
    }

    private async Task<PlanInput> ValidInputAsync()
    {
        var destination = await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = SourceDir() });
        return new PlanInput
        {
            Name = "Nightly " + Guid.NewGuid().ToString("N")[..8],
            Schedule = new Schedule { Kind = ScheduleKind.Daily, Hour = 2, Minute = 30, TimeZone = "Europe/Paris" },
            Retention = new RetentionRules { KeepDaily = 7, KeepMonthly = 6 },
            DomainIds = [domain.Id],
            Destinations = new Dictionary<Guid, RetentionRules?> { [destination] = new RetentionRules { KeepLast = 3 } },
        };
    }

    private string SourceDir()
    {
        var dir = Path.Combine(_bed.Dir, "src");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "index.html"), "<h1>hello</h1>");
        return dir;
    }

    private async Task<Guid> MarkRunningAsync(Domain domain)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var backup = new Backup { Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Status = BackupStatus.Running, CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "test" };
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
        return backup.Id;
    }

    private RecurringJobDto? RecurringJob(Guid planId)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([PlanScheduler.JobIdOf(planId)]).SingleOrDefault(j => !j.Removed);
    }
}
