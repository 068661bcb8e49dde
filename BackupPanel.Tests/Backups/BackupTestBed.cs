using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

/// <summary>A Local destination and a domain in the test app, and helpers to run and wait for backups.</summary>
public sealed class BackupTestBed(AppFixture app) : IDisposable
{
    public static readonly AuditActor Operator = new("op-id", "operator@example.test", "127.0.0.1");

    /// <summary>For what only an Admin may do (a plan without encryption, a domain's owner, downloads).</summary>
    public static readonly AuditActor Admin = new("admin-id", "admin@example.test", "127.0.0.1") { IsAdmin = true };

    public string Dir { get; } = TestPaths.NewTempDir("bk");

    public string DestinationPath => Path.Combine(Dir, "dest");

    public Guid DestinationId { get; private set; }

    public BackupService Backups => app.Services.GetRequiredService<BackupService>();

    public BackupRunner Runner => app.Services.GetRequiredService<BackupRunner>();

    public DomainService Domains => app.Services.GetRequiredService<DomainService>();

    public RestoreService Restores => app.Services.GetRequiredService<RestoreService>();

    public BackupVerifier Verifier => app.Services.GetRequiredService<BackupVerifier>();

    public string FolderOf(Backup backup) => Path.Combine(DestinationPath, backup.FolderKey!);

    /// <summary>Starts a restore through Hangfire and waits (bounded) for it to finish.</summary>
    public async Task<RestoreRun> RestoreAndWaitAsync(RestoreRequest request)
    {
        var result = await Restores.StartAsync(request, Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        RestoreRun? run = null;
        await Poll.UntilAsync(async () => (run = await Restores.GetAsync(result.Id!.Value, default)) is { IsFinished: true }, "the restore to finish");
        return run!;
    }

    public Task<AgeIdentity> PanelIdentityAsync() => app.Services.GetRequiredService<EncryptionService>().PanelIdentityAsync(default);

    public async Task<Guid> AddDestinationAsync(string? path = null, string? name = null)
    {
        Directory.CreateDirectory(path ?? DestinationPath);
        var result = await app.Services.GetRequiredService<DestinationService>()
            .CreateAsync(RemoteDestinationBed.Local(path ?? DestinationPath, name), Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return DestinationId = result.Id!.Value;
    }

    public async Task<Domain> AddDomainAsync(DomainInput input)
    {
        input.Name = $"d{Guid.NewGuid():N}"[..12] + ".example.com";
        var result = await Domains.CreateAsync(input, Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return (await Domains.GetAsync(result.Id!.Value, default))!;
    }

    /// <summary>Back up now through Hangfire, then wait (bounded) for the run to finish.</summary>
    public async Task<Backup> BackUpAndWaitAsync(Guid domainId, BackupType type = BackupType.Full)
    {
        var id = await Backups.BackUpNowAsync(domainId, type, [DestinationId], Operator, default);
        return await WaitFinishedAsync(id);
    }

    public async Task<Backup> WaitFinishedAsync(Guid id, int timeoutSeconds = 120)
    {
        Backup? backup = null;
        await Poll.UntilAsync(async () => (backup = await Backups.GetAsync(id, default)) is { IsFinished: true }, "the backup to finish", timeoutSeconds);
        return backup!;
    }

    /// <summary>A queued backup row that no job will pick up, for driving the runner directly.</summary>
    public async Task<Guid> QueueWithoutJobAsync(Domain domain, BackupType type = BackupType.Full)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var backup = new Backup
        {
            Id = Guid.NewGuid(), DomainId = domain.Id, DomainName = domain.Name, Type = type, Status = BackupStatus.Queued,
            CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "test",
            Copies = [new BackupCopy { Id = Guid.NewGuid(), DestinationId = DestinationId, DestinationName = "test", Status = BackupCopyStatus.Pending }],
        };
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
        return backup.Id;
    }

    public string[] StoredFiles() => Directory.Exists(DestinationPath)
        ? Directory.EnumerateFiles(DestinationPath, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DestinationPath, f)).ToArray()
        : [];

    public void Dispose()
    {
        Shell.RunAsync("chattr", ["-i", DestinationPath]).GetAwaiter().GetResult();
        Directory.Delete(Dir, recursive: true);
    }
}
