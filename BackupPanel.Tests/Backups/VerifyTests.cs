using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Backups;

[Collection(AppCollectionDefinition.Name)]
public sealed class VerifyTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Verify_GoodBackup_RecordsWhatWasProven()
    {
        var backup = await BackUpFilesDatabaseAndMailAsync();

        await _bed.Backups.VerifyAsync(backup.Id, BackupTestBed.Operator, default);
        var verified = await WaitVerifiedAsync(backup.Id);

        Assert.True(verified.VerifySucceeded, verified.VerifyMessage);
        Assert.Contains("files.tar.zst.age:", verified.VerifyMessage, StringComparison.Ordinal);
        Assert.Contains("mail.tar.zst.age:", verified.VerifyMessage, StringComparison.Ordinal);
        Assert.Matches(@"pg_restore reads \d+ objects", verified.VerifyMessage);
    }

    [Theory]
    [InlineData("flip", "files.tar.zst.age")]
    [InlineData("truncate", "mail.tar.zst.age")]
    [InlineData("manifest", "manifest.json")]
    public async Task Verify_DamagedCopy_FailsNamingTheComponent(string damage, string expected)
    {
        var backup = await BackUpFilesDatabaseAndMailAsync();
        var folder = _bed.FolderOf(backup);
        switch (damage)
        {
            case "flip":
                await using (var f = File.Open(Path.Combine(folder, "files.tar.zst.age"), FileMode.Open))
                {
                    f.Position = f.Length / 2;
                    var b = f.ReadByte();
                    f.Position = f.Length / 2;
                    f.WriteByte((byte)(b ^ 0x01));
                }

                break;
            case "truncate":
                await using (var f = File.Open(Path.Combine(folder, "mail.tar.zst.age"), FileMode.Open)) f.SetLength(f.Length - 100);
                break;
            default:
                var text = await File.ReadAllTextAsync(Path.Combine(folder, ArchiveManifest.FileName));
                await File.WriteAllTextAsync(Path.Combine(folder, ArchiveManifest.FileName), text.Replace("\"Full\"", "\"Files\"", StringComparison.Ordinal));
                break;
        }

        await _bed.Verifier.VerifyAsync(backup.Id, default);
        var verified = (await _bed.Backups.GetAsync(backup.Id, default))!;

        Assert.False(verified.VerifySucceeded);
        Assert.Contains(expected, verified.VerifyMessage, StringComparison.Ordinal);
        Assert.NotNull(verified.VerifiedAt);
    }

    [Fact]
    public async Task VerifyAsync_FailedBackup_RefusesWithTheReason()
    {
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = Path.Combine(_bed.Dir, "missing") });
        var failed = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Files);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _bed.Backups.VerifyAsync(failed.Id, BackupTestBed.Operator, default));
        Assert.Contains("Only a successful backup", ex.Message, StringComparison.Ordinal);
    }

    private async Task<Backup> BackUpFilesDatabaseAndMailAsync()
    {
        var files = Path.Combine(_bed.Dir, "www");
        var mail = Path.Combine(_bed.Dir, "Maildir");
        TestTrees.Write(files, "index.html", "<h1>shop</h1>");
        TestTrees.Write(mail, "cur/1700000000.M1P1.host:2,S", "Subject: hi\n\nhello\n");
        Directory.CreateDirectory(Path.Combine(mail, "new"));
        var (database, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 50);
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput
        {
            FilesRoot = files, MailRoot = mail,
            Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = database, User = role, NewPassword = ShopDatabases.Password }],
        });
        var backup = await _bed.BackUpAndWaitAsync(domain.Id);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        return backup;
    }

    private async Task<Backup> WaitVerifiedAsync(Guid id)
    {
        Backup? backup = null;
        await Poll.UntilAsync(async () => (backup = await _bed.Backups.GetAsync(id, default)) is { VerifiedAt: not null }, "the verify to finish", 60);
        return backup!;
    }
}
