using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations.Kinds.Ftp;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Destinations.Kinds.S3;
using BackupPanel.Core.Destinations.Kinds.Sftp;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BackupPanel.Tests.Destinations;

/// <summary>
/// The migration that moves each kind's columns into one JSON column: rows written in the old shape come out as the
/// same typed settings (secrets still the same ciphertexts), and going back down restores the columns.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class DestinationSettingsMigrationTests(PostgresFixture postgres)
{
    private const string Before = "20261203141212_ImportProgress";

    [Fact]
    public async Task Migrate_RowsOfEveryKind_BecomeTheSameTypedSettingsAndGoBackDown()
    {
        await using var db = new BackupPanelDbContext(new DbContextOptionsBuilder<BackupPanelDbContext>().UseNpgsql(await postgres.CreateDatabaseAsync("destmig")).Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        await db.Database.ExecuteSqlRawAsync(InsertOldRows);

        await migrator.MigrateAsync();

        var rows = await db.Destinations.AsNoTracking().ToDictionaryAsync(d => d.Name);
        Assert.Equal(new LocalSettings("/srv/backups"), rows["local"].Settings);
        Assert.Equal(new SftpDestinationSettings
        {
            Host = "sftp.example.test", Port = 2222, UserName = "panel", Path = "backups", HostKeySha256 = "SHA256:" + new string('k', 43),
            PasswordSecret = "cipher-password", PrivateKeySecret = "cipher-key", PassphraseSecret = "cipher-passphrase",
        }, rows["sftp"].Settings);
        Assert.Equal(new FtpDestinationSettings
        {
            Host = "ftp.example.test", Port = 21, UserName = "ftpuser", Path = "", ExplicitTls = true, CertificateSha256 = "AB:CD", PasswordSecret = "cipher-ftp",
        }, rows["ftp"].Settings);
        Assert.Equal(new S3DestinationSettings
        {
            Bucket = "bucket-one", Path = "panel/one", Region = "eu-central-1", ServiceUrl = "http://127.0.0.1:9000", PathStyle = true, AccessKeyId = "AKIA1",
            SecretAccessKeySecret = "cipher-s3", StorageClass = "STANDARD_IA", ServerSideEncryption = "aws:kms", KmsKeyId = "kms-1",
            ObjectLockMode = "Compliance", ObjectLockDays = 30,
        }, rows["s3"].Settings);
        Assert.Equal("sftp://panel@sftp.example.test:2222/backups", rows["sftp"].Where);
        Assert.Equal("s3://bucket-one/panel/one at http://127.0.0.1:9000", rows["s3"].Where);

        await migrator.MigrateAsync(Before);

        Assert.Equal(OldColumns, await OldColumnsAsync(db));
    }

    private const string InsertOldRows = """
        INSERT INTO destinations ("Id", "Name", "Kind", "Path", "Host", "Port", "UserName", "HostKeySha256", "ExplicitTls", "CertificateSha256",
            "Bucket", "Region", "ServiceUrl", "PathStyle", "UseEnvironmentCredentials", "AccessKeyId", "StorageClass", "ServerSideEncryption",
            "KmsKeyId", "ObjectLockMode", "ObjectLockDays", "PasswordSecret", "PrivateKeySecret", "PassphraseSecret", "SecretAccessKeySecret",
            "IsEnabled", "IsDefault", "CreatedAt", "UpdatedAt") VALUES
        (gen_random_uuid(), 'local', 'Local', '/srv/backups', NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, false, false, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, true, now(), now()),
        (gen_random_uuid(), 'sftp', 'Sftp', 'backups', 'sftp.example.test', 2222, 'panel', 'SHA256:kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', false, NULL,
            NULL, NULL, NULL, false, false, NULL, NULL, NULL, NULL, NULL, NULL, 'cipher-password', 'cipher-key', 'cipher-passphrase', NULL, true, false, now(), now()),
        (gen_random_uuid(), 'ftp', 'Ftp', '', 'ftp.example.test', 21, 'ftpuser', NULL, true, 'AB:CD', NULL, NULL, NULL, false, false, NULL, NULL, NULL,
            NULL, NULL, NULL, 'cipher-ftp', NULL, NULL, NULL, true, false, now(), now()),
        (gen_random_uuid(), 's3', 'S3', 'panel/one', NULL, NULL, NULL, NULL, false, NULL, 'bucket-one', 'eu-central-1', 'http://127.0.0.1:9000', true, false,
            'AKIA1', 'STANDARD_IA', 'aws:kms', 'kms-1', 'Compliance', 30, NULL, NULL, NULL, 'cipher-s3', true, false, now(), now())
        """;

    private const string OldColumns = """
        ftp|Ftp||ftp.example.test|21|ftpuser||t|AB:CD||||f|f|||||||cipher-ftp|||
        local|Local|/srv/backups|||||f|||||f|f||||||||||
        s3|S3|panel/one|||||f||bucket-one|eu-central-1|http://127.0.0.1:9000|t|f|AKIA1|STANDARD_IA|aws:kms|kms-1|Compliance|30||||cipher-s3
        sftp|Sftp|backups|sftp.example.test|2222|panel|SHA256:kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk|f|||||f|f|||||||cipher-password|cipher-key|cipher-passphrase|
        """;

    private static async Task<string> OldColumnsAsync(BackupPanelDbContext db)
    {
        await using var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT concat_ws('|', "Name", "Kind", "Path", coalesce("Host", ''), coalesce("Port"::text, ''), coalesce("UserName", ''),
                coalesce("HostKeySha256", ''), "ExplicitTls", coalesce("CertificateSha256", ''), coalesce("Bucket", ''), coalesce("Region", ''),
                coalesce("ServiceUrl", ''), "PathStyle", "UseEnvironmentCredentials", coalesce("AccessKeyId", ''), coalesce("StorageClass", ''),
                coalesce("ServerSideEncryption", ''), coalesce("KmsKeyId", ''), coalesce("ObjectLockMode", ''), coalesce("ObjectLockDays"::text, ''),
                coalesce("PasswordSecret", ''), coalesce("PrivateKeySecret", ''), coalesce("PassphraseSecret", ''), coalesce("SecretAccessKeySecret", ''))
            FROM destinations ORDER BY "Name"
            """, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }
}
