using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Storage;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Restore;

// Over STYLE.md's 300 lines (314): the "somewhere else" and partial-backup cases are to move to a test class of
// their own (RestoreTargetTests) in the next change.
[Collection(AppCollectionDefinition.Name)]
public sealed class RestoreRunTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Restore_FilesAndMailToAnotherDirectory_TreesIdentical()
    {
        var (domain, backup) = await BackUpAsync(withDatabase: false);
        var target = Path.Combine(_bed.Dir, "elsewhere");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = target });

        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Equal(TreeSnapshot.Take(domain.FilesRoot!), TreeSnapshot.Take(Path.Combine(target, "files")));
        Assert.Equal(TreeSnapshot.Take(domain.MailRoot!), TreeSnapshot.Take(Path.Combine(target, "mail")));
        Assert.Null(run.SafetyBackupId); // nothing at the original places was touched
    }

    [Fact]
    public async Task Restore_DatabaseUnderAnotherName_SameRows()
    {
        var (domain, backup) = await BackUpAsync(withDatabase: true);
        var database = domain.Databases[0].Name;
        var copyName = "copy_" + Guid.NewGuid().ToString("N")[..8];

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest
        {
            BackupId = backup.Id, Components = [backup.Components.Single(c => c.Kind == "postgresql").Name], TargetDatabase = copyName,
        });

        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Equal(await ShopDatabases.PostgresChecksumAsync(app, database), await ShopDatabases.PostgresChecksumAsync(app, copyName));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Restore_SomewhereElse_WithNoDatabaseName_MakesASuffixedCopy_AndNeverTouchesTheOriginal(string? name)
    {
        // Found: "somewhere else" with the database name left empty replaced the original database's contents.
        var (domain, backup) = await BackUpAsync(withDatabase: true);
        var database = domain.Databases[0].Name;
        await ShopDatabases.ExecPostgresAsync(app, database, "DELETE FROM orders WHERE id > 10"); // the live database moved on since the backup
        var live = await ShopDatabases.PostgresChecksumAsync(app, database);
        var target = Path.Combine(_bed.Dir, "elsewhere");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, Elsewhere = true, TargetDirectory = target, TargetDatabase = name });

        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Equal(live, await ShopDatabases.PostgresChecksumAsync(app, database)); // untouched
        Assert.Equal("_restored", run.TargetDatabaseSuffix);
        Assert.NotEqual(live, await ShopDatabases.PostgresChecksumAsync(app, database + "_restored")); // the backup's rows, in the copy
        Assert.Null(run.SafetyBackupId);
        Assert.Contains($"{database}_restored", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_FilesGoodDatabaseBadDatabase_KeepsWhatWorked_PartlySucceeds_NamingTheFailure()
    {
        // Found: one database with a wrong password failed the whole run, threw away the files already written, never
        // dumped the good database, and named only the first failure.
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "<h1>shop</h1>");
        var (good, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 50, owner: true);
        var (bad, badRole) = await ShopDatabases.CreatePostgresAsync(app, rows: 5, owner: true);
        var input = new DomainInput
        {
            FilesRoot = files,
            Databases =
            [
                new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = bad, User = badRole, NewPassword = "not-the-password" },
                new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = good, User = role, NewPassword = ShopDatabases.Password },
            ],
        };
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(input);

        var backup = await _bed.BackUpAndWaitAsync(domain.Id);

        Assert.True(backup.Status == BackupStatus.PartiallySucceeded, $"{backup.Status}: {backup.Error}\n{backup.Log}");
        Assert.Contains($"Not backed up: database {bad}", backup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", backup.Error, StringComparison.Ordinal); // one line of cause; the log has the tool's whole output
        Assert.Equal(["files", "postgresql"], backup.Components.Select(c => c.Kind).Order().ToArray());
        Assert.Equal(good, backup.Components.Single(c => c.Kind == "postgresql").Database);
        Assert.All(backup.Copies, c => Assert.Equal(BackupCopyStatus.Stored, c.Status));

        // What worked is restorable.
        var copyName = "copy_" + Guid.NewGuid().ToString("N")[..8];
        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, Components = [backup.Components.Single(c => c.Kind == "postgresql").Name], TargetDatabase = copyName });
        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Equal(await ShopDatabases.PostgresChecksumAsync(app, good), await ShopDatabases.PostgresChecksumAsync(app, copyName));
    }

    [Fact]
    public async Task Restore_SomewhereElse_WithFilesButNoFolder_IsRefusedAtTheField()
    {
        var (_, backup) = await BackUpAsync(withDatabase: false);
        var result = await _bed.Restores.StartAsync(new RestoreRequest { BackupId = backup.Id, Elsewhere = true }, BackupTestBed.Operator, default);
        Assert.False(result.Succeeded);
        Assert.Contains("never writes to the original places", result.Errors[nameof(RestoreRequest.TargetDirectory)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_IntoOriginalPlaces_TakesASafetyBackupFirstThenPutsEverythingBack()
    {
        var (domain, backup) = await BackUpAsync(withDatabase: true);
        var database = domain.Databases[0].Name;
        var filesBefore = TreeSnapshot.Take(domain.FilesRoot!);
        var rowsBefore = await ShopDatabases.PostgresChecksumAsync(app, database);
        await File.WriteAllTextAsync(Path.Combine(domain.FilesRoot!, "index.html"), "defaced");
        File.Delete(Path.Combine(domain.FilesRoot!, "about.html"));
        await ShopDatabases.ExecPostgresAsync(app, database, "DELETE FROM orders WHERE id > 10");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id });

        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Equal(filesBefore, TreeSnapshot.Take(domain.FilesRoot!));
        Assert.Equal(rowsBefore, await ShopDatabases.PostgresChecksumAsync(app, database));
        var safety = await _bed.Backups.GetAsync(run.SafetyBackupId!.Value, default);
        Assert.Equal(BackupStatus.Succeeded, safety!.Status);
        Assert.Contains("safety backup before restore", safety.RequestedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_DryRun_ListsWhatWouldChangeAndWritesNothing()
    {
        var (domain, backup) = await BackUpAsync(withDatabase: true);
        await File.WriteAllTextAsync(Path.Combine(domain.FilesRoot!, "index.html"), "changed");
        var database = domain.Databases[0].Name;
        await ShopDatabases.ExecPostgresAsync(app, database, "DELETE FROM orders WHERE id > 10");
        var filesBefore = TreeSnapshot.Take(domain.FilesRoot!);
        var rowsBefore = await ShopDatabases.PostgresChecksumAsync(app, database);

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, DryRun = true });

        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Contains("would replace index.html", run.Log, StringComparison.Ordinal);
        Assert.Contains($"would replace the contents of database {database}", run.Log, StringComparison.Ordinal);
        Assert.Equal(filesBefore, TreeSnapshot.Take(domain.FilesRoot!));
        Assert.Equal(rowsBefore, await ShopDatabases.PostgresChecksumAsync(app, database));
        Assert.Null(run.SafetyBackupId);
    }

    [Fact]
    public async Task Restore_DamagedBackup_FailsNamingTheComponentAndWritesNothing()
    {
        var (_, backup) = await BackUpAsync(withDatabase: false);
        var stored = Path.Combine(_bed.FolderOf(backup), "files.tar.zst.age");
        var bytes = await File.ReadAllBytesAsync(stored);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(stored, bytes);
        var target = Path.Combine(_bed.Dir, "elsewhere");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = target });

        Assert.Equal(RestoreStatus.Failed, run.Status);
        Assert.Contains("files.tar.zst.age", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(target, "files")) && Directory.EnumerateFileSystemEntries(Path.Combine(target, "files")).Any());
    }

    [Fact]
    public async Task Restore_FilesGoodMailDamaged_NothingRestoredAndTheErrorSaysSo()
    {
        var (_, backup) = await BackUpAsync(withDatabase: false);
        var mail = Path.Combine(_bed.FolderOf(backup), "mail.tar.zst.age");
        var bytes = await File.ReadAllBytesAsync(mail);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(mail, bytes);
        var target = Path.Combine(_bed.Dir, "elsewhere");
        TestTrees.Write(target, "kept.txt", "what was there before");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = target });

        Assert.Equal(RestoreStatus.Failed, run.Status);
        Assert.Contains("mail.tar.zst.age", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was restored", run.Error, StringComparison.Ordinal);
        Assert.Equal(["kept.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName)); // files/ was not put in place either
    }

    [Fact]
    public async Task Restore_BackupForgedAtTheDestination_RefusedAndNothingWritten()
    {
        var (_, backup) = await BackUpAsync(withDatabase: false);
        await ForgeAsync(backup, _bed.DestinationPath);
        var target = Path.Combine(_bed.Dir, "elsewhere");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = target });

        Assert.Equal(RestoreStatus.Failed, run.Status);
        Assert.Contains("manifest.json: was changed after the backup was made", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories).Any(), "the forgery reached the target");
    }

    [Fact]
    public async Task Restore_OneCopyForged_RestoresFromTheOtherSayingWhichWasRefused()
    {
        var (domain, backup) = await BackUpAsync(withDatabase: false);
        var first = _bed.DestinationId;
        var second = Path.Combine(_bed.Dir, "dest2");
        var secondId = await _bed.AddDestinationAsync(second, "Second ");
        backup = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Full, [first, secondId], BackupTestBed.Operator, default));
        Assert.Equal(2, backup.Copies.Count(c => c.Status == BackupCopyStatus.Stored));
        await ForgeAsync(backup, second);
        var target = Path.Combine(_bed.Dir, "elsewhere");

        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = target, FromDestinationId = secondId });

        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Contains("manifest.json: was changed after the backup was made", run.Log, StringComparison.Ordinal);
        Assert.Equal(TreeSnapshot.Take(domain.FilesRoot!), TreeSnapshot.Take(Path.Combine(target, "files")));
    }

    /// <summary>
    /// What whoever can write to a destination can do: replace the components and the manifest with a consistent
    /// forgery — encrypted to the panel's public key (it is in every manifest), every size and hash right.
    /// </summary>
    private async Task ForgeAsync(Backup backup, string destination)
    {
        var evil = Path.Combine(_bed.Dir, "evil");
        TestTrees.Write(evil, "index.html", "<script>forged</script>");
        TestTrees.Write(evil, ".ssh/authorized_keys", "ssh-ed25519 AAAA forged");
        var recipient = (await _bed.PanelIdentityAsync()).Recipient;
        var writer = new ArchiveWriter(new LocalStorageBackend(destination), backup.FolderKey!, new ArchiveWriteOptions { Recipients = [recipient] });
        var components = new List<ArchiveComponent>();
        foreach (var kind in new[] { ArchiveLayout.FilesKind, ArchiveLayout.MailKind })
        {
            components.Add(await writer.WriteComponentAsync(kind, null, async (tar, ct) => (await TreeArchiver.WriteAsync(evil, ExcludeFilter.None, tar, ct)).Entries, _ => { }, default));
        }

        await writer.CommitAsync(new ArchiveManifest
        {
            BackupId = backup.Id, Domain = backup.DomainName, Type = backup.Type.ToString(), StartedAt = backup.StartedAt!.Value,
            FinishedAt = backup.FinishedAt!.Value, Tool = "forger", Components = components,
        }, default);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "relative", nameof(RestoreRequest.TargetDirectory) },
        { "root", nameof(RestoreRequest.TargetDirectory) },
        { "dotdot", nameof(RestoreRequest.TargetDirectory) },
        { "huge", nameof(RestoreRequest.TargetDirectory) },
        { "bad-db-name", nameof(RestoreRequest.TargetDatabase) },
        { "db-name-for-files", nameof(RestoreRequest.TargetDatabase) },
        { "unknown-component", nameof(RestoreRequest.Components) },
        { "clear-unconfirmed", nameof(RestoreRequest.ClearConfirmation) },
        { "unknown-backup", nameof(RestoreRequest.BackupId) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task StartAsync_BadRequest_SaysWhatIsWrongAndStartsNothing(string bad, string field)
    {
        var (_, backup) = await BackUpAsync(withDatabase: false);
        var request = new RestoreRequest { BackupId = backup.Id };
        switch (bad)
        {
            case "relative": request.TargetDirectory = "restore/here"; break;
            case "root": request.TargetDirectory = "/"; break;
            case "dotdot": request.TargetDirectory = "/tmp/../etc"; break;
            case "huge": request.TargetDirectory = "/" + new string('a', 5000); break;
            case "bad-db-name": request.TargetDatabase = "x; DROP DATABASE y"; break;
            case "db-name-for-files": request.TargetDatabase = "other"; break;
            case "unknown-component": request.Components = ["../../etc/passwd"]; break;
            case "clear-unconfirmed": request.ClearTarget = true; request.ClearConfirmation = "yes"; break;
            default: request.BackupId = Guid.NewGuid(); break;
        }

        var result = await _bed.Restores.StartAsync(request, BackupTestBed.Operator, default);

        Assert.False(result.Succeeded);
        Assert.True(result.Errors.ContainsKey(field), string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Empty(await _bed.Restores.ListForBackupAsync(backup.Id, default));
    }

    private async Task<(Domain Domain, Backup Backup)> BackUpAsync(bool withDatabase)
    {
        var files = Path.Combine(_bed.Dir, "www");
        var mail = Path.Combine(_bed.Dir, "Maildir");
        TestTrees.Write(files, "index.html", "<h1>shop</h1>");
        TestTrees.Write(files, "about.html", "about us");
        TestTrees.Write(files, "img/ünïcode name.txt", "x");
        TestTrees.Write(mail, "cur/1700000000.M1P1.host:2,S", "Subject: hi\n\nhello\n");
        Directory.CreateDirectory(Path.Combine(mail, "new"));
        var input = new DomainInput { FilesRoot = files, MailRoot = withDatabase ? null : mail };
        if (withDatabase)
        {
            var (database, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 200, owner: true);
            input.Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = database, User = role, NewPassword = ShopDatabases.Password }];
        }

        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(input);
        var backup = await _bed.BackUpAndWaitAsync(domain.Id);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        return (domain, backup);
    }
}
