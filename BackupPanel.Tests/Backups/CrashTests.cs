using System.Diagnostics;
using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Tests.Infrastructure;

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
            var destinationId = await OutsidePanel.AddLocalDestinationAsync(cs, dest);
            var domainId = await OutsidePanel.AddDomainAsync(cs, "crash.example.com", files, Path.GetDirectoryName(mail));
            crashed = await OutsidePanel.QueueBackupAsync(cs, domainId, destinationId);
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
        Assert.Equal(BackupStatus.Running, (await OutsidePanel.LoadBackupAsync(cs, crashed)).Status);

        await using var second = AppProcess.Start(environment);
        Assert.True(await second.WaitReadyAsync(), second.Output);
        var swept = await OutsidePanel.LoadBackupAsync(cs, crashed);
        Assert.Equal(BackupStatus.Failed, swept.Status);
        Assert.Equal(InterruptedBackups.Reason, swept.Error);

        var next = await OutsidePanel.QueueBackupAsync(cs, swept.DomainId!.Value, swept.Copies[0].DestinationId!.Value);
        await Poll.UntilAsync(async () => (await OutsidePanel.LoadBackupAsync(cs, next)).IsFinished, "the next run to finish", 90, 50);
        var done = await OutsidePanel.LoadBackupAsync(cs, next);
        Assert.True(done.Status == BackupStatus.Succeeded, done.Error + "\n" + done.Log);
        Assert.Equal(Path.Combine(dest, swept.FolderKey!).TrimEnd('/'), crashedFolder);
        Assert.False(Directory.Exists(crashedFolder), "the crashed run's folder is gone");
        Assert.Contains("incomplete", done.Log, StringComparison.OrdinalIgnoreCase);
    }
}
