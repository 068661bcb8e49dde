using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Retention;
using BackupPanel.Core.Schedules;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Retention;

/// <summary>Retention against the real app and a real destination folder: the preview is what the job deletes, and the safety rules hold.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class RetentionServiceTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    private RetentionService Retention => app.Services.GetRequiredService<RetentionService>();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Apply_DeletesExactlyWhatThePreviewSaid_FilesAndCatalog()
    {
        var (planId, domain) = await PlanAsync(new RetentionRules { KeepLast = 2 });
        var backups = new List<Backup>();
        for (var day = 5; day >= 1; day--) backups.Add(await StoredBackupAsync(planId, domain, DateTimeOffset.UtcNow.AddDays(-day)));
        var manual = await StoredBackupAsync(null, domain, DateTimeOffset.UtcNow.AddDays(-30)); // made by hand: never the plan's to delete

        var preview = await Retention.PreviewAsync(planId, default);
        var report = await Retention.ApplyAsync(planId, default);

        Assert.Equal(backups.Select(b => b.Id).Reverse().Take(2), preview.Where(r => r.Keep).Select(r => r.BackupId));
        var doomed = preview.Where(r => !r.Keep).Select(r => r.BackupId).ToList();
        Assert.Equal(backups.Take(3).Select(b => b.Id).Reverse(), doomed);
        Assert.Equal((3, 3), (report.CopiesDeleted, report.BackupsRemoved));
        Assert.Empty(report.Problems);
        foreach (var backup in backups)
        {
            var gone = doomed.Contains(backup.Id);
            Assert.Equal(!gone, Directory.Exists(_bed.FolderOf(backup)));
            Assert.Equal(!gone, await _bed.Backups.GetAsync(backup.Id, default) is not null);
        }

        Assert.True(Directory.Exists(_bed.FolderOf(manual)));
        var audit = await app.Services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(Action: AuditActions.RetentionDeleted, Take: 500), default);
        Assert.Equal(3, audit.Items.Count(e => doomed.Contains(Guid.Parse(e.TargetId!))));
        Assert.Contains(audit.Items, e => e.TargetId == doomed[0].ToString() && e.Details!.Contains("no rule keeps it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_TwiceAtOnce_DeletesEachCopyOnceAndBothFinish()
    {
        var (planId, domain) = await PlanAsync(new RetentionRules { KeepLast = 1 });
        for (var day = 6; day >= 1; day--) await StoredBackupAsync(planId, domain, DateTimeOffset.UtcNow.AddDays(-day));

        var reports = await Task.WhenAll(Retention.ApplyAsync(planId, default), Retention.ApplyAsync(planId, default));

        Assert.Equal(5, reports.Sum(r => r.CopiesDeleted));
        Assert.Single(await Retention.PreviewAsync(planId, default));
        // Nothing left behind on disk either: a claimed copy's folder is deleted even when the other run removed its row first.
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_bed.DestinationPath, domain.Name), "manifest.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Apply_WhileTheLastRunsFailed_DeletesNothing()
    {
        var (planId, domain) = await PlanAsync(new RetentionRules { KeepLast = 1 });
        for (var day = 5; day >= 3; day--) await StoredBackupAsync(planId, domain, DateTimeOffset.UtcNow.AddDays(-day));
        for (var run = 0; run < 3; run++) await FailedRunAsync(planId, domain, DateTimeOffset.UtcNow.AddHours(-run));

        var preview = await Retention.PreviewAsync(planId, default);
        var report = await Retention.ApplyAsync(planId, default);

        Assert.All(preview, r => Assert.True(r.Keep));
        Assert.Contains(preview, r => r.Reasons.Contains("the last 3 runs failed: nothing is deleted until one succeeds"));
        Assert.Equal((0, 0), (report.CopiesDeleted, report.BackupsRemoved));
    }

    [Fact]
    public async Task Apply_PinnedBackup_Stays()
    {
        var (planId, domain) = await PlanAsync(new RetentionRules { KeepLast = 1 });
        var pinned = await StoredBackupAsync(planId, domain, DateTimeOffset.UtcNow.AddDays(-9), pinned: true);
        var other = await StoredBackupAsync(planId, domain, DateTimeOffset.UtcNow.AddDays(-8));
        await StoredBackupAsync(planId, domain, DateTimeOffset.UtcNow.AddDays(-1));

        await Retention.ApplyAsync(planId, default);

        Assert.True(Directory.Exists(_bed.FolderOf(pinned)));
        Assert.False(Directory.Exists(_bed.FolderOf(other)));
    }

    private async Task<(Guid PlanId, Domain Domain)> PlanAsync(RetentionRules rules)
    {
        var destination = await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = _bed.Dir });
        var result = await app.Services.GetRequiredService<PlanService>().CreateAsync(new PlanInput
        {
            Name = "Retention " + Guid.NewGuid().ToString("N")[..8], Enabled = false, Schedule = new Schedule { TimeZone = "Europe/Paris" },
            Retention = rules, DomainIds = [domain.Id], Destinations = new() { [destination] = null },
        }, BackupTestBed.Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return (result.Id!.Value, domain);
    }

    /// <summary>A finished backup with a stored copy: its folder, manifest and a component at the test destination.</summary>
    private async Task<Backup> StoredBackupAsync(Guid? planId, Domain domain, DateTimeOffset at, bool pinned = false)
    {
        var id = Guid.NewGuid();
        var backup = new Backup
        {
            Id = id, DomainId = domain.Id, DomainName = domain.Name, Type = BackupType.Files, Status = BackupStatus.Succeeded, CreatedAt = at,
            StartedAt = at, FinishedAt = at, RequestedBy = "test", PlanId = planId, Pinned = pinned,
            FolderKey = $"{domain.Name}/{at:yyyy}/{at:MM}/{at:yyyyMMdd'T'HHmmss'Z'}_{id:D}/",
            Copies = [new BackupCopy { Id = Guid.NewGuid(), DestinationId = _bed.DestinationId, DestinationName = "Local", Status = BackupCopyStatus.Stored, StoredAt = at }],
        };
        Directory.CreateDirectory(_bed.FolderOf(backup));
        await File.WriteAllTextAsync(Path.Combine(_bed.FolderOf(backup), "manifest.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(_bed.FolderOf(backup), "files.tar.zst"), "data");
        await SaveAsync(backup);
        return backup;
    }

    private Task FailedRunAsync(Guid planId, Domain domain, DateTimeOffset at) => SaveAsync(new Backup
    {
        Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Type = BackupType.Files, Status = BackupStatus.Failed, CreatedAt = at,
        FinishedAt = at, RequestedBy = "test", PlanId = planId, Error = "the source was gone",
    });

    private async Task SaveAsync(Backup backup)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
    }
}
