using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

/// <summary>Backups to several destinations at once against real servers, and what happens when one goes away.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class RemoteBackupTests : IClassFixture<SshdFixture>, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly AppFixture _app;
    private readonly SshdFixture _sshd;
    private readonly S3rverFixture _s3;
    private readonly BackupTestBed _bed;

    public RemoteBackupTests(AppFixture app, SshdFixture sshd, S3rverFixture s3)
    {
        (_app, _sshd, _s3, _bed) = (app, sshd, s3, new BackupTestBed(app));
        RemoteDestinationBed.QuickRetries(app);
    }

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task BackUp_SpoolTooSmall_FailsSayingSoAndLeavesNothingInTheSpool()
    {
        // Without a Local destination, components are staged in the spool one at a time: a 1 MiB spool cannot take 4 MiB.
        Assert.True(UnixFile.IsRoot, "this test mounts a 1 MiB tmpfs, which needs root");
        var spool = Directory.CreateDirectory(Path.Combine(_bed.Dir, "spool")).FullName;
        (await Shell.RunAsync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", spool])).EnsureSuccess("mount tmpfs");
        try
        {
            var storage = new DestinationStorage(_app.Services.GetRequiredService<SecretProtector>(), TimeProvider.System) { SpoolDirectory = spool };
            var runner = ActivatorUtilities.CreateInstance<BackupRunner>(_app.Services, storage);
            var files = Directory.CreateDirectory(Path.Combine(_bed.Dir, "www")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(files, "photo.bin"), RandomNumberGenerator.GetBytes(4 << 20));
            var sftp = await RemoteDestinationBed.CreateAsync(_app, RemoteDestinationBed.Sftp(_sshd));
            var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
            var id = await _bed.Backups.CreateQueuedAsync(domain.Id, BackupType.Files, sftp, "spool test", default);

            await runner.RunAsync(id, default);

            var backup = (await _bed.Backups.GetAsync(id, default))!;
            Assert.Equal(BackupStatus.Failed, backup.Status);
            Assert.Contains($"The spool folder {spool}/{id:N} has", backup.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(spool)); // the run's staging folder went with the run
        }
        finally
        {
            await Shell.RunAsync("umount", [spool]);
        }
    }

    [Fact]
    public async Task BackUp_ToLocalSftpAndS3_ThreeCopiesEachVerified_RestoreFallsBackToS3()
    {
        var files = TestTrees.CreateTricky(Path.Combine(_bed.Dir, "www"), 44 << 20); // half random: a component over 20 MB, S3 multipart
        var local = await _bed.AddDestinationAsync();
        var sftpInput = RemoteDestinationBed.Sftp(_sshd);
        var sftp = await RemoteDestinationBed.CreateAsync(_app, sftpInput);
        var s3 = await RemoteDestinationBed.CreateAsync(_app, await RemoteDestinationBed.S3Async(_s3));
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });

        var backup = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [local, sftp, s3], BackupTestBed.Operator, default));

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        Assert.Equal(3, backup.Copies.Count(c => c.Status == BackupCopyStatus.Stored));
        Assert.True(File.Exists(Path.Combine(_sshd.Home, RemoteDestinationBed.FolderOf(sftpInput), backup.FolderKey!, ArchiveManifest.FileName)), "no manifest on the SFTP server");
        Assert.InRange(backup.Components.Single().StoredSize, 20 << 20, 30 << 20);
        await _bed.Verifier.VerifyAsync(backup.Id, default);
        var verified = await _bed.Backups.GetAsync(backup.Id, default);
        Assert.True(verified!.VerifySucceeded, verified.VerifyMessage);
        Assert.StartsWith("3 copies read back in full", verified.VerifyMessage, StringComparison.Ordinal);

        // The local copy damaged, the SFTP server gone: the restore reads the S3 copy.
        var component = Path.Combine(_bed.FolderOf(backup), backup.Components[0].Name);
        await using (var file = File.OpenWrite(component)) { file.Position = 1000; file.WriteByte(0x42); }
        _sshd.Kill();
        try
        {
            var target = Path.Combine(_bed.Dir, "restored");
            var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, Components = [backup.Components[0].Name], TargetDirectory = target, SafetyBackup = false });

            Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
            Assert.Equal(TreeSnapshot.Take(files, withoutSpecialBits: true), TreeSnapshot.Take(target));
            Assert.Contains("reading from S3", run.Log, StringComparison.Ordinal);
        }
        finally
        {
            await _sshd.RestartAsync();
        }
    }

    [Fact]
    public async Task BackUp_SftpServerDownFromTheStart_RetriedThenPartiallySucceededWithS3Stored()
    {
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = TestTrees.CreateTricky(Path.Combine(_bed.Dir, "www"), 100_000) });
        var sftp = await RemoteDestinationBed.CreateAsync(_app, RemoteDestinationBed.Sftp(_sshd));
        var s3 = await RemoteDestinationBed.CreateAsync(_app, await RemoteDestinationBed.S3Async(_s3));
        _sshd.Kill();
        Backup backup;
        try
        {
            backup = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [sftp, s3], BackupTestBed.Operator, default));
        }
        finally
        {
            await _sshd.RestartAsync();
        }

        Assert.True(backup.Status == BackupStatus.PartiallySucceeded, backup.Error + "\n" + backup.Log);
        Assert.Equal(BackupCopyStatus.Stored, backup.Copies.Single(c => c.DestinationId == s3).Status);
        var failed = backup.Copies.Single(c => c.DestinationId == sftp);
        Assert.Equal(BackupCopyStatus.Failed, failed.Status);
        Assert.Contains("Could not connect to 127.0.0.1", failed.Error, StringComparison.Ordinal);
        Assert.Contains("(failed 3 times)", failed.Error, StringComparison.Ordinal);
        Assert.Contains("Attempt 2 of 3 failed", backup.Log, StringComparison.Ordinal);
        Assert.Contains($"The copy at {failed.DestinationName} failed", backup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackUp_SftpWrongPassword_FailsAtOnceWithoutRetriesAndTheOtherCopyStands()
    {
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = TestTrees.CreateTricky(Path.Combine(_bed.Dir, "www"), 100_000) });
        var sftp = await RemoteDestinationBed.CreateAsync(_app, RemoteDestinationBed.Sftp(_sshd, password: "Not-the-password-1"));
        var local = await _bed.AddDestinationAsync();

        var backup = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [sftp, local], BackupTestBed.Operator, default));

        Assert.Equal(BackupStatus.PartiallySucceeded, backup.Status);
        Assert.Contains("refused the login", backup.Copies.Single(c => c.DestinationId == sftp).Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Attempt 1 of", backup.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-the-password-1", backup.Log + backup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackUp_SftpKilledMidUpload_PartiallySucceededWithoutManifestThere_NextRunLeavesNoLeftovers()
    {
        var files = Path.Combine(_bed.Dir, "www");
        Directory.CreateDirectory(files);
        var random = new byte[96 << 20];
        new Random(7).NextBytes(random);
        await File.WriteAllBytesAsync(Path.Combine(files, "big.bin"), random);
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var input = RemoteDestinationBed.Sftp(_sshd);
        var sftp = await RemoteDestinationBed.CreateAsync(_app, input);
        var s3 = await RemoteDestinationBed.CreateAsync(_app, await RemoteDestinationBed.S3Async(_s3));
        var root = Path.Combine(_sshd.Home, RemoteDestinationBed.FolderOf(input));
        var partial = Path.Combine(root, ".partial");

        var id = await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [sftp, s3], BackupTestBed.Operator, default);
        await Poll.UntilAsync(() => Directory.Exists(partial) && Directory.EnumerateFiles(partial).Any(f => new FileInfo(f).Length > 1 << 20), "an SFTP upload under way", 120, 5);
        _sshd.Kill();
        Backup backup;
        try
        {
            backup = await _bed.WaitFinishedAsync(id);
        }
        finally
        {
            await _sshd.RestartAsync();
        }

        Assert.True(backup.Status == BackupStatus.PartiallySucceeded, backup.Error + "\n" + backup.Log);
        Assert.Equal(BackupCopyStatus.Failed, backup.Copies.Single(c => c.DestinationId == sftp).Status);
        Assert.Contains("(failed 3 times)", backup.Copies.Single(c => c.DestinationId == sftp).Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories), f => f.EndsWith(ArchiveManifest.FileName, StringComparison.Ordinal));
        Assert.NotEmpty(Directory.EnumerateFiles(partial)); // the killed upload's temp file, never listed as an object

        var storage = RemoteDestinationBed.QuickRetries(_app);
        storage.StalePartialAge = TimeSpan.FromSeconds(1);
        try
        {
            await Poll.UntilAsync(() => Directory.EnumerateFiles(partial).All(f => DateTime.UtcNow - File.GetLastWriteTimeUtc(f) > TimeSpan.FromSeconds(2)), "the killed upload to go stale", 30);
            var next = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [sftp, s3], BackupTestBed.Operator, default));

            Assert.True(next.Status == BackupStatus.Succeeded, next.Error + "\n" + next.Log);
            var left = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToList();
            Assert.NotEmpty(left);
            Assert.All(left, f => Assert.StartsWith(next.FolderKey!, f, StringComparison.Ordinal));
        }
        finally
        {
            storage.StalePartialAge = TimeSpan.FromMinutes(15);
        }
    }
}
