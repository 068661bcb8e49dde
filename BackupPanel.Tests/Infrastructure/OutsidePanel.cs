using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Security.Audit;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// What the panel's pages do, done from outside its processes on its database: a Local destination and domains as
/// rows, and "Back up now" as a queued row, its audit entry and a Hangfire job that whichever worker is alive takes.
/// </summary>
public static class OutsidePanel
{
    public static BackupPanelDbContext Db(string cs) => new(new DbContextOptionsBuilder<BackupPanelDbContext>().UseNpgsql(cs).Options);

    public static async Task<Guid> AddLocalDestinationAsync(string cs, string path)
    {
        await using var db = Db(cs);
        var destination = new Destination { Id = Guid.NewGuid(), Name = "Disk", Settings = new LocalSettings(path), IsDefault = true, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Add(destination);
        await db.SaveChangesAsync();
        return destination.Id;
    }

    public static async Task<Guid> AddDomainAsync(string cs, string name, string filesRoot, string? mailRoot = null)
    {
        await using var db = Db(cs);
        var domain = new Domain { Id = Guid.NewGuid(), Name = name, FilesRoot = filesRoot, MailRoot = mailRoot, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Add(domain);
        await db.SaveChangesAsync();
        return domain.Id;
    }

    /// <summary>
    /// A queued full backup and its job. With <paramref name="asBackUpNow"/>, also what Back up now records: the job's
    /// id on the row and a backup.started audit entry.
    /// </summary>
    public static async Task<Guid> QueueBackupAsync(string cs, Guid domainId, Guid destinationId, bool asBackUpNow = false)
    {
        await using var db = Db(cs);
        var name = (await db.Domains.AsNoTracking().SingleAsync(d => d.Id == domainId)).Name;
        var backup = new Backup
        {
            Id = Guid.NewGuid(), DomainId = domainId, DomainName = name, Type = BackupType.Full, Status = BackupStatus.Queued,
            CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "outside test",
            Copies = [new BackupCopy { Id = Guid.NewGuid(), DestinationId = destinationId, DestinationName = "Disk", Status = BackupCopyStatus.Pending }],
        };
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
        // Hangfire's logger is process-wide, and may point at the logger factory of an in-process test app that is
        // gone by now; this client needs none.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentLogProvider());
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(cs, options), options);
        var jobId = new BackgroundJobClient(storage).Enqueue<RunBackupJob>(j => j.RunAsync(backup.Id, CancellationToken.None));
        if (asBackUpNow)
        {
            await db.Backups.Where(b => b.Id == backup.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.JobId, jobId));
            await new AuditService(new Factory(cs), TimeProvider.System).WriteAsync(
                new AuditActor(null, "operator@example.test", "127.0.0.1"), AuditActions.BackupStarted, AuditOutcome.Success, "domain", name, $"Full backup {backup.Id} to Disk");
        }

        return backup.Id;
    }

    public static async Task<Backup> LoadBackupAsync(string cs, Guid id)
    {
        await using var db = Db(cs);
        return await db.Backups.AsNoTracking().Include(b => b.Copies).SingleAsync(b => b.Id == id);
    }

    private sealed class Factory(string cs) : IDbContextFactory<BackupPanelDbContext>
    {
        public BackupPanelDbContext CreateDbContext() => Db(cs);
    }

    private sealed class SilentLogProvider : Hangfire.Logging.ILogProvider
    {
        public Hangfire.Logging.ILog GetLogger(string name) => new SilentLog();
    }

    private sealed class SilentLog : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
