using BackupPanel.Core.Backups;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Restore;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

/// <summary>MySQL/MariaDB databases against the suite's own MariaDB server (started for this class only).</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class MySqlBackupTests(AppFixture app, MariaDbFixture maria) : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task BackUp_MariaDb_DumpImportsByHandWithTheRecoveryKitAndRestoresUnderAnotherName()
    {
        var (database, user) = await ShopDatabases.CreateMariaDbAsync(maria, rows: 300);
        var domain = await AddDomainAsync(database, user, ShopDatabases.Password);

        var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Database);

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        var component = Assert.Single(backup.Components);
        Assert.Equal($"db-mysql-{database}.sql.zst.age", component.Name);

        // By hand, as docs/RESTORE-BY-HAND.md says: age -d -i kit | zstd -d | mariadb.
        var kit = Path.Combine(_bed.Dir, RecoveryKit.FileName);
        await File.WriteAllTextAsync(kit, await app.Services.GetRequiredService<EncryptionService>().RecoveryKitAsync(BackupTestBed.Operator, default));
        var byHand = database + "_byhand";
        await maria.ExecAsync($"CREATE DATABASE `{byHand}`");
        (await Shell.BashAsync($"set -o pipefail; age -d -i '{kit}' '{Path.Combine(_bed.FolderOf(backup), component.Name)}' | zstd -d | mariadb --socket='{maria.Socket}' -uroot '{byHand}'"))
            .EnsureSuccess("age | zstd | mariadb");
        var original = await ShopDatabases.MariaDbChecksumAsync(maria, user, database);
        Assert.Equal(original, await ShopDatabases.MariaDbChecksumAsync(maria, user, byHand));
        Assert.EndsWith(":1:1", original, StringComparison.Ordinal); // the trigger and the procedure came along

        // Through the panel, into a database that does not exist yet.
        var copy = database + "_copy";
        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDatabase = copy });
        Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
        Assert.Equal(original, await ShopDatabases.MariaDbChecksumAsync(maria, user, copy));
    }

    [Theory]
    [InlineData("wrong-password", "password is wrong")]
    [InlineData("missing-database", "database does not exist")]
    public async Task BackUp_MariaDbBroken_FailsWithAClearReason(string failure, string expected)
    {
        var (database, user) = await ShopDatabases.CreateMariaDbAsync(maria, rows: 1);
        var domain = failure == "wrong-password"
            ? await AddDomainAsync(database, user, "not-the-password")
            : await AddDomainAsync("no_such_db", user, ShopDatabases.Password);

        var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Database);

        Assert.Equal(BackupStatus.Failed, backup.Status);
        Assert.Contains(expected, backup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", backup.Log + backup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MariaDbDomain_SaysConnectedOrWhatIsWrong()
    {
        var (database, user) = await ShopDatabases.CreateMariaDbAsync(maria, rows: 1);
        var good = await AddDomainAsync(database, user, ShopDatabases.Password);
        var bad = await AddDomainAsync(database, user, "wrong");
        var checker = app.Services.GetRequiredService<DomainChecker>();

        var ok = Assert.Single(await checker.CheckAsync(good.Id, default));
        var wrong = Assert.Single(await checker.CheckAsync(bad.Id, default));

        Assert.True(ok.Ok, ok.Message);
        Assert.Contains("mariadb-dump", ok.Message, StringComparison.Ordinal);
        Assert.False(wrong.Ok);
        Assert.Contains("password is wrong", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8mb4Database_RestoredUnderANewNameOnALatin1Server_KeepsItsCharacterSetAndCollation_AndTheEmojiProcedureWorks()
    {
        // Found: the copy took the server's default (latin1_swedish_ci), and so did its routines: CALL add_log(99, 'x 😀')
        // worked on the original and failed on the copy with ERROR 1366.
        var (database, user) = await ShopDatabases.CreateMariaDbAsync(maria, rows: 3);
        await maria.ExecAsync($"ALTER DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; USE `{database}`; " +
            "CREATE TABLE log (id int, msg varchar(50)); CREATE PROCEDURE add_log(i int, m varchar(50)) INSERT INTO log VALUES (i, m);");
        var before = (await ScalarAsync(user, "SELECT CONCAT(@@global.character_set_server, ' ', @@global.collation_server)")).Split(' ');
        await maria.ExecAsync("SET GLOBAL character_set_server = latin1, collation_server = latin1_swedish_ci");
        try
        {
            var domain = await AddDomainAsync(database, user, ShopDatabases.Password);
            var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Database);
            Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
            var copy = "copy_" + Guid.NewGuid().ToString("N")[..8];

            var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDatabase = copy });

            Assert.True(run.Status == RestoreStatus.Succeeded, run.Error + "\n" + run.Log);
            var query = "SELECT CONCAT(s.DEFAULT_CHARACTER_SET_NAME, ' ', s.DEFAULT_COLLATION_NAME, ' ', r.DATABASE_COLLATION) FROM information_schema.SCHEMATA s " +
                "JOIN information_schema.ROUTINES r ON r.ROUTINE_SCHEMA = s.SCHEMA_NAME AND r.ROUTINE_NAME = 'add_log' WHERE s.SCHEMA_NAME = '{0}'";
            Assert.Equal("utf8mb4 utf8mb4_unicode_ci utf8mb4_unicode_ci", await ScalarAsync(user, string.Format(System.Globalization.CultureInfo.InvariantCulture, query, database)));
            Assert.Equal("utf8mb4 utf8mb4_unicode_ci utf8mb4_unicode_ci", await ScalarAsync(user, string.Format(System.Globalization.CultureInfo.InvariantCulture, query, copy)));
            await ScalarAsync(user, $"CALL `{copy}`.add_log(99, 'x 😀'); SELECT 1");
            Assert.Equal("x 😀", await ScalarAsync(user, $"SELECT msg FROM `{copy}`.log WHERE id = 99"));
        }
        finally
        {
            await maria.ExecAsync($"SET GLOBAL character_set_server = {before[0]}, collation_server = {before[1]}");
        }
    }

    private async Task<string> ScalarAsync(string user, string sql)
    {
        var cs = new MySqlConnector.MySqlConnectionStringBuilder { Server = "127.0.0.1", Port = (uint)maria.Port, UserID = user, Password = ShopDatabases.Password, Pooling = false, CharacterSet = "utf8mb4" };
        await using var conn = new MySqlConnector.MySqlConnection(cs.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new MySqlConnector.MySqlCommand(sql, conn);
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private async Task<Domain> AddDomainAsync(string database, string user, string password)
    {
        if (_bed.DestinationId == Guid.Empty) await _bed.AddDestinationAsync();
        return await _bed.AddDomainAsync(new DomainInput
        {
            Databases = [new DatabaseInput { Engine = DatabaseEngine.MySql, Host = "127.0.0.1", Port = maria.Port, Name = database, User = user, NewPassword = password }],
        });
    }
}
