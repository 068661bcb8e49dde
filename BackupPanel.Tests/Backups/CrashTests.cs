using System.Diagnostics;
using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Domains;
using BackupPanel.Tests.Infrastructure;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Tests.Backups;

/// <summary>
/// The real executable is killed (SIGKILL) in the middle of a backup: nothing looks complete, a restart marks the
/// run failed, and the domain's next run succeeds and removes what the dead run left.
/// </summary>
public sealed class CrashTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("crash");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task KillMidBackup_NoManifest_RestartMarksItFailed_NextRunSucceedsAndRemovesLeftovers()
    {
        // Two components, so that the kill lands after the first is in place and while the second is uploading.
        var files = Path.Combine(_dir, "www");
        var mail = Path.Combine(_dir, "Maildir", "cur");
        Directory.CreateDirectory(files);
        Directory.CreateDirectory(mail);
        await File.WriteAllBytesAsync(Path.Combine(files, "site.bin"), RandomNumberGenerator.GetBytes(8 << 20));
        for (var i = 0; i < 4; i++) await File.WriteAllBytesAsync(Path.Combine(mail, $"{i}.M1P1.host:2,S"), RandomNumberGenerator.GetBytes(32 << 20));
        var dest = Path.Combine(_dir, "dest");
        Directory.CreateDirectory(dest);
        var cs = await postgres.CreateDatabaseAsync("crash");
        var environment = new Dictionary<string, string> { ["ConnectionStrings__BackupPanel"] = cs, ["BackupPanel__WorkerCount"] = "1" };

        var first = AppProcess.Start(environment);
        Guid crashed;
        try
        {
            Assert.True(await first.WaitReadyAsync(), first.Output);
            var (domainId, destinationId) = await SeedAsync(cs, files, mail, dest);
            crashed = await QueueAsync(cs, domainId, destinationId);
            await Poll.UntilAsync(() => Directory.EnumerateFiles(dest, "files.tar.zst.age", SearchOption.AllDirectories).Any()
                && Directory.EnumerateFiles(Path.Combine(dest, ".partial")).Any(f => new FileInfo(f).Length > (4 << 20)), "the mail upload to be under way", 90, 50);
            using (var kill = Process.Start("kill", ["-KILL", first.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            Assert.True(await first.WaitForExitAsync(30));
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories), f => f.EndsWith(ArchiveManifest.FileName, StringComparison.Ordinal));
        var crashedFolder = Path.GetDirectoryName(Directory.EnumerateFiles(dest, "files.tar.zst.age", SearchOption.AllDirectories).Single())!;
        Assert.Equal(BackupStatus.Running, (await LoadAsync(cs, crashed)).Status);

        await using var second = AppProcess.Start(environment);
        Assert.True(await second.WaitReadyAsync(), second.Output);
        var swept = await LoadAsync(cs, crashed);
        Assert.Equal(BackupStatus.Failed, swept.Status);
        Assert.Equal(InterruptedBackups.Reason, swept.Error);

        var next = await QueueAsync(cs, swept.DomainId!.Value, swept.Copies[0].DestinationId!.Value);
        await Poll.UntilAsync(async () => (await LoadAsync(cs, next)).IsFinished, "the next run to finish", 90, 50);
        var done = await LoadAsync(cs, next);
        Assert.True(done.Status == BackupStatus.Succeeded, done.Error + "\n" + done.Log);
        Assert.Equal(Path.Combine(dest, swept.FolderKey!).TrimEnd('/'), crashedFolder);
        Assert.False(Directory.Exists(crashedFolder), "the crashed run's folder is gone");
        Assert.Contains("incomplete", done.Log, StringComparison.OrdinalIgnoreCase);
    }

    private static BackupPanelDbContext Db(string cs) => new(new DbContextOptionsBuilder<BackupPanelDbContext>().UseNpgsql(cs).Options);

    private static async Task<(Guid Domain, Guid Destination)> SeedAsync(string cs, string files, string mail, string dest)
    {
        await using var db = Db(cs);
        var destination = new Destination { Id = Guid.NewGuid(), Name = "Disk", Settings = new LocalSettings(dest), IsDefault = true, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        var domain = new Domain { Id = Guid.NewGuid(), Name = "crash.example.com", FilesRoot = files, MailRoot = Path.GetDirectoryName(mail), CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.AddRange(destination, domain);
        await db.SaveChangesAsync();
        return (domain.Id, destination.Id);
    }

    /// <summary>What Back up now does, from outside the process: a queued row and a Hangfire job in the panel's database.</summary>
    private static async Task<Guid> QueueAsync(string cs, Guid domainId, Guid destinationId)
    {
        await using (var db = Db(cs))
        {
            var backup = new Backup
            {
                Id = Guid.NewGuid(), DomainId = domainId, DomainName = "crash.example.com", Type = BackupType.Full, Status = BackupStatus.Queued,
                CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "crash test",
                Copies = [new BackupCopy { Id = Guid.NewGuid(), DestinationId = destinationId, DestinationName = "Disk", Status = BackupCopyStatus.Pending }],
            };
            db.Backups.Add(backup);
            await db.SaveChangesAsync();
            // Hangfire's logger is process-wide, and may point at the logger factory of an in-process test app that is
            // gone by now; this client needs none.
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentLogProvider());
            var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(cs, options), options);
            new BackgroundJobClient(storage).Enqueue<RunBackupJob>(j => j.RunAsync(backup.Id, CancellationToken.None));
            return backup.Id;
        }
    }

    private static async Task<Backup> LoadAsync(string cs, Guid id)
    {
        await using var db = Db(cs);
        return await db.Backups.AsNoTracking().Include(b => b.Copies).SingleAsync(b => b.Id == id);
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
