using BackupPanel.Circuit;
using BackupPanel.Components.Pages.Import;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Import;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Web;

/// <summary>The import page while an import runs: the domain being imported and the live progress of its imported backup.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ImportRunPageTests : BunitTestBase, IDisposable
{
    private readonly AppFixture _app;
    private readonly BackupTestBed _bed;

    public ImportRunPageTests(AppFixture app)
    {
        _app = app;
        _bed = new BackupTestBed(app);
        foreach (var type in new[] { typeof(ImportService), typeof(BackupService), typeof(TimeProvider), typeof(Core.Destinations.DestinationService) })
            Services.AddSingleton(type, app.Services.GetRequiredService(type));
        Services.AddHttpContextAccessor();
        Services.AddScoped<AuditActorAccessor>();
        Services.AddScoped<PanelUser>();
    }

    public new void Dispose()
    {
        _bed.Dispose();
        base.Dispose();
    }

    [Fact]
    public async Task ImportRunPage_Running_ShowsThePhaseAndTheImportedBackupsProgress()
    {
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new Core.Domains.DomainInput { FilesRoot = _bed.Dir });
        var backupId = await _bed.QueueWithoutJobAsync(domain);
        var run = new ImportRun
        {
            Id = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "op@example.test", SourceName = "cpmove-x.tar.gz", ArchivePath = "/nowhere",
            Status = ImportStatus.Running, Phase = $"1/2: {domain.Name}", CurrentBackupId = backupId,
        };
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync())
        {
            db.ImportRuns.Add(run);
            await db.SaveChangesAsync();
        }

        // Held like a live import does, so the sweeper of abandoned runs leaves this one alone.
        await using var runLock = await RunLock.TryAcquireAsync(_app.ConnectionString, RunLockScope.Import, run.Id, default);
        SignInAs(Roles.Operator);
        var page = Render<ImportRunPage>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=backup-progress]")), TimeSpan.FromSeconds(10));
        Assert.Contains($"1/2: {domain.Name}", page.Find("[data-testid=import-busy]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Running", page.Find("[data-testid=import-status]").TextContent.Trim());
    }
}
