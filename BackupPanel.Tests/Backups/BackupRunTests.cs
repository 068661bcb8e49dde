using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;
using Npgsql;

namespace BackupPanel.Tests.Backups;

[Collection(AppCollectionDefinition.Name)]
public sealed class BackupRunTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    private string? _unmount;

    public void Dispose()
    {
        if (_unmount is not null) Shell.RunAsync("umount", [_unmount]).GetAwaiter().GetResult().EnsureSuccess("umount");
        _bed.Dispose();
    }

    [Fact]
    public async Task BackUpNow_FilesAndPostgres_SucceedsAndEveryComponentRestores()
    {
        var files = TestTrees.CreateTricky(Path.Combine(_bed.Dir, "www"), 1_000_000);
        var (database, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 500);
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput
        {
            FilesRoot = files,
            Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = database, User = role, NewPassword = "Shop-pass-1" }],
        });

        var backup = await _bed.BackUpAndWaitAsync(domain.Id);

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        Assert.Equal(["files", "postgresql"], backup.Components.Select(c => c.Kind));
        Assert.Equal(BackupCopyStatus.Stored, Assert.Single(backup.Copies).Status);
        var manifestPath = Path.Combine(_bed.DestinationPath, backup.FolderKey!, ArchiveManifest.FileName);
        Assert.Equal(backup.ManifestSha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(manifestPath))));
        Assert.StartsWith($"{domain.Name}/", backup.FolderKey, StringComparison.Ordinal);

        Assert.True(backup.Encrypted);
        Assert.All(backup.Components, c => Assert.EndsWith(".zst.age", c.Name, StringComparison.Ordinal));
        var reader = new ArchiveReader(new LocalStorageBackend(_bed.DestinationPath), backup.FolderKey!, [await _bed.PanelIdentityAsync()]);
        var manifest = await reader.ReadManifestAsync(default);
        await TreeComponents.RestoreAsync(reader, manifest.Components[0], Path.Combine(_bed.Dir, "restored"), new ExtractOptions(), null, default);
        Assert.Equal(TreeSnapshot.Take(files), TreeSnapshot.Take(Path.Combine(_bed.Dir, "restored")));

        var dump = Path.Combine(_bed.Dir, "shop.dump");
        await DumpFiles.SaveAsync(reader, manifest.Components[1], dump, null, default);
        var restoredDb = new NpgsqlConnectionStringBuilder(await app.Postgres.CreateDatabaseAsync("restored"));
        var pgRestore = Path.Combine(Databases.DatabaseToolsTests.PgBin, "pg_restore");
        (await Shell.RunAsync(pgRestore, ["--no-owner", "-h", "127.0.0.1", "-p", restoredDb.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", restoredDb.Database!, dump])).EnsureSuccess("pg_restore");
        Assert.Equal(await ShopDatabases.PostgresChecksumAsync(app, database), await ShopDatabases.PostgresChecksumAsync(app, restoredDb.Database!));
    }

    [Fact]
    public async Task BackUpNow_WithWarnings_SucceedsAndLogsEachSkippedFile()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "hi");
        (await Shell.RunAsync("mkfifo", [Path.Combine(files, "a-pipe")])).EnsureSuccess("mkfifo");
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });

        var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Files);

        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        Assert.Equal(1, backup.WarningCount);
        Assert.Contains("a-pipe: skipped", backup.Log, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "missing-root", "does not exist" },
        { "wrong-password", "password is wrong" },
        { "unreachable", "cannot connect" },
        { "missing-database", "database does not exist" },
        { "destination-not-writable", "Permission denied" },
        { "destination-full", "destination is full" },
        { "nothing-to-back-up", "nothing to back up" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task BackUpNow_BrokenSource_FailsWithAClearReasonAndLeavesNothing(string failure, string expected)
    {
        await _bed.AddDestinationAsync();
        var input = new DomainInput { FilesRoot = Directory.CreateDirectory(Path.Combine(_bed.Dir, "www")).FullName };
        var type = BackupType.Full;
        switch (failure)
        {
            case "missing-root":
                input.FilesRoot = Path.Combine(_bed.Dir, "gone");
                break;
            case "wrong-password" or "missing-database":
                var (database, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 1);
                input.Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Port = app.Postgres.Server.Port, User = role,
                    Name = failure == "missing-database" ? "no_such_db" : database, NewPassword = failure == "wrong-password" ? "wrong" : "Shop-pass-1" }];
                type = BackupType.Database;
                break;
            case "unreachable":
                input.Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Port = BackupPanel.Hosting.EmbeddedPostgres.FreePort(), Name = "x", User = "x" }];
                type = BackupType.Database;
                break;
            case "destination-not-writable":
                TestTrees.Write(input.FilesRoot, "a.txt", "a");
                (await Shell.RunAsync("chattr", ["+i", _bed.DestinationPath])).EnsureSuccess("chattr");
                break;
            case "destination-full":
                // A 2 MiB filesystem as the destination, and 8 MiB of incompressible files to back up.
                Assert.True(BackupPanel.Core.Archive.UnixFile.IsRoot, "this case mounts a small tmpfs, which needs root");
                (await Shell.RunAsync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", _bed.DestinationPath])).EnsureSuccess("mount tmpfs");
                _unmount = _bed.DestinationPath;
                await File.WriteAllBytesAsync(Path.Combine(input.FilesRoot, "photo.bin"), RandomNumberGenerator.GetBytes(8 << 20));
                break;
            default:
                type = BackupType.Email;
                break;
        }

        var domain = await _bed.AddDomainAsync(input);
        var backup = await _bed.BackUpAndWaitAsync(domain.Id, type);

        Assert.Equal(BackupStatus.Failed, backup.Status);
        Assert.Contains(expected, backup.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(BackupCopyStatus.Failed, Assert.Single(backup.Copies).Status);
        Assert.DoesNotContain(_bed.StoredFiles(), f => f.EndsWith(ArchiveManifest.FileName, StringComparison.Ordinal) || !f.StartsWith('.'));
    }

    [Fact]
    public async Task Run_CancelledMidway_CancelledAndNothingLooksComplete()
    {
        var files = Path.Combine(_bed.Dir, "www");
        Directory.CreateDirectory(files);
        for (var i = 0; i < 8; i++) await File.WriteAllBytesAsync(Path.Combine(files, $"big-{i}.bin"), RandomNumberGenerator.GetBytes(32 * 1024 * 1024));
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var id = await _bed.QueueWithoutJobAsync(domain);
        using var cancel = new CancellationTokenSource();

        var run = _bed.Runner.RunAsync(id, cancel.Token);
        await Poll.UntilAsync(() => Directory.Exists(Path.Combine(_bed.DestinationPath, LocalStorageBackend.PartialFolder))
            && Directory.EnumerateFiles(Path.Combine(_bed.DestinationPath, LocalStorageBackend.PartialFolder)).Any(), "the upload to start", 30, 20);
        await cancel.CancelAsync();
        await run;

        var backup = (await _bed.Backups.GetAsync(id, default))!;
        Assert.Equal(BackupStatus.Cancelled, backup.Status);
        Assert.DoesNotContain(_bed.StoredFiles(), f => !f.StartsWith('.'));
    }

    [Fact]
    public async Task Run_DomainLockedByAnotherRun_FailsSayingSo()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "a.txt", "a");
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var id = await _bed.QueueWithoutJobAsync(domain);

        await using (var held = await RunLock.TryAcquireAsync(app.ConnectionString, RunLockScope.Domain, domain.Id, default))
        {
            Assert.NotNull(held);
            await _bed.Runner.RunAsync(id, default);
        }

        var backup = (await _bed.Backups.GetAsync(id, default))!;
        Assert.Equal(BackupStatus.Failed, backup.Status);
        Assert.Contains("Another backup", backup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackUpNow_DomainBusy_WaitsItsTurn_ThenSucceeds()
    {
        // Several backups of one domain queued at once (a plan and a Back up now, or 4 on two workers): before, all but
        // the first failed with "Another backup … is running".
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "a.txt", "a");
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        Guid id;
        string? firstJob;
        await using (var held = await RunLock.TryAcquireAsync(app.ConnectionString, RunLockScope.Domain, domain.Id, default))
        {
            Assert.NotNull(held);
            id = await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Full, [_bed.DestinationId], BackupTestBed.Operator, default);
            firstJob = (await _bed.Backups.GetAsync(id, default))!.JobId;
            await Poll.UntilAsync(async () => (await _bed.Backups.GetAsync(id, default))!.JobId != firstJob, "the job to find the domain busy and schedule itself again");
            Assert.Equal(BackupStatus.Queued, (await _bed.Backups.GetAsync(id, default))!.Status);
        }

        var backup = await _bed.WaitFinishedAsync(id);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
    }

    [Fact]
    public async Task BackUpNow_LeftoversOfACrashedRun_AreRemovedAndTheRunSucceeds()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "a.txt", "a");
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var leftover = Path.Combine(_bed.DestinationPath, ArchiveLayout.FolderKey(domain.Name, DateTimeOffset.UtcNow.AddHours(-1), Guid.NewGuid()));
        TestTrees.Write(leftover, "files.tar.zst", "half a component");

        var backup = await _bed.BackUpAndWaitAsync(domain.Id);

        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        Assert.False(Directory.Exists(leftover));
        Assert.Contains("Removed an incomplete backup folder", backup.Log, StringComparison.Ordinal);
    }
}
