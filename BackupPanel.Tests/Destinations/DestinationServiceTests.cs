using BackupPanel.Core.Destinations;
using BackupPanel.Core.Destinations.Kinds.Ftp;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Destinations.Kinds.S3;
using BackupPanel.Core.Destinations.Kinds.Sftp;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Destinations;

[Collection(AppCollectionDefinition.Name)]
public sealed class DestinationServiceTests(AppFixture app) : IDisposable
{
    private static readonly AuditActor Admin = new("admin-id", "admin@example.test", "127.0.0.1");
    private readonly string _dir = TestPaths.NewTempDir("dest");

    private DestinationService Destinations => app.Services.GetRequiredService<DestinationService>();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CreateAndTest_LocalFolder_TestSucceedsAndIsRecorded()
    {
        var result = await Destinations.CreateAsync(Local($"Local {Guid.NewGuid():N}", _dir + "/"), Admin, default);

        var test = await Destinations.TestAsync(result.Id!.Value, default);

        Assert.True(test.Success, test.Message);
        var stored = await Destinations.GetAsync(result.Id.Value, default);
        Assert.Equal(new LocalSettings(_dir), stored!.Settings);
        Assert.True(stored.LastTestSucceeded);
        Assert.Empty(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Test_MissingFolder_FailsSayingWhichFolder()
    {
        var missing = Path.Combine(_dir, "not-there");
        var result = await Destinations.CreateAsync(Local($"Missing {Guid.NewGuid():N}", missing), Admin, default);

        var test = await Destinations.TestAsync(result.Id!.Value, default);

        Assert.False(test.Success);
        Assert.Contains("not-there' does not exist", test.Message, StringComparison.Ordinal);
        Assert.False((await Destinations.GetAsync(result.Id.Value, default))!.LastTestSucceeded);
    }

    [Fact]
    public async Task Create_Default_OnlyOneDefaultRemains()
    {
        var first = await Destinations.CreateAsync(Local($"A {Guid.NewGuid():N}", _dir, isDefault: true), Admin, default);
        var second = await Destinations.CreateAsync(Local($"B {Guid.NewGuid():N}", _dir, isDefault: true), Admin, default);

        Assert.False((await Destinations.GetAsync(first.Id!.Value, default))!.IsDefault);
        Assert.True((await Destinations.GetAsync(second.Id!.Value, default))!.IsDefault);
        Assert.Single(await Destinations.ListAsync(default), d => d.IsDefault);
    }

    [Theory]
    [InlineData("", "/srv/backups", "Name")]
    [InlineData("ok", "relative", "Settings.Path")]
    [InlineData("ok", "/", "Settings.Path")]
    [InlineData("ok", "/srv/../etc", "Settings.Path")]
    public async Task Create_BadInput_ErrorAtTheField(string name, string path, string field)
    {
        var result = await Destinations.CreateAsync(Local(name, path), Admin, default);

        Assert.True(result.Errors.ContainsKey(field));
    }

    [Fact]
    public async Task Create_Sftp_SecretsAreEncryptedAtRestAndNeverReadBack()
    {
        const string Password = "Sftp-secret-at-rest-1";
        const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret-key-body\n-----END OPENSSH PRIVATE KEY-----";
        var sftp = new SftpInput
        {
            Host = "backup.example.com", UserName = "panel", Password = Password, PrivateKey = Key, Passphrase = "key-passphrase-1", Path = "backups",
        };
        var input = new DestinationInput { Name = $"SFTP {Guid.NewGuid():N}", Settings = sftp };

        var result = await Destinations.CreateAsync(input, Admin, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        Assert.Null(sftp.Password); // the form does not keep a secret once saved
        Assert.Null(sftp.PrivateKey);
        Assert.Null(sftp.Passphrase);
        var row = await RawRowAsync(result.Id!.Value);
        Assert.DoesNotContain(Password, row, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-body", row, StringComparison.Ordinal);
        Assert.DoesNotContain("key-passphrase-1", row, StringComparison.Ordinal);
        var stored = await Destinations.GetAsync(result.Id.Value, default);
        Assert.Equal(22, Assert.IsType<SftpDestinationSettings>(stored!.Settings).Port);
        Assert.Equal("sftp://panel@backup.example.com:22/backups", stored.Where);
        Assert.DoesNotContain(Password, stored.ToString(), StringComparison.Ordinal);
        var form = Assert.IsType<SftpInput>(DestinationInput.From(stored).Settings);
        Assert.True(form.HasPassword);
        Assert.True(form.HasPrivateKey);
        Assert.Null(form.Password);
        Assert.Null(form.PrivateKey);
        var audit = await app.Services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(Take: 200), default);
        Assert.DoesNotContain(audit.Items, e => (e.Details ?? "").Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_SecretLeftEmpty_KeepsTheStoredOne_KindChangeDropsIt()
    {
        var created = await Destinations.CreateAsync(new DestinationInput
        {
            Name = $"FTP {Guid.NewGuid():N}", Settings = new FtpInput { Host = "ftp.example.com", UserName = "panel", Password = "Ftp-secret-1" },
        }, Admin, default);
        var id = created.Id!.Value;
        var before = Ftp((await Destinations.GetAsync(id, default))!).PasswordSecret;

        var edit = DestinationInput.From((await Destinations.GetAsync(id, default))!);
        ((FtpInput)edit.Settings).Path = "other";
        Assert.True((await Destinations.UpdateAsync(id, edit, Admin, default)).Succeeded);
        Assert.Equal(before, Ftp((await Destinations.GetAsync(id, default))!).PasswordSecret);
        Assert.Equal("other", Ftp((await Destinations.GetAsync(id, default))!).Path);

        var toS3 = DestinationInput.From((await Destinations.GetAsync(id, default))!);
        toS3.Settings = new S3Input { Bucket = "my-bucket", AccessKeyId = "AKIAEXAMPLE" };
        var refused = await Destinations.UpdateAsync(id, toS3, Admin, default);
        Assert.Contains("Settings." + nameof(S3Input.SecretAccessKey), refused.Errors.Keys);
        ((S3Input)toS3.Settings).SecretAccessKey = "s3-secret-1";
        Assert.True((await Destinations.UpdateAsync(id, toS3, Admin, default)).Succeeded);
        var s3 = Assert.IsType<S3DestinationSettings>((await Destinations.GetAsync(id, default))!.Settings);
        Assert.NotNull(s3.SecretAccessKeySecret);
        Assert.DoesNotContain("Ftp-secret", await RawRowAsync(id), StringComparison.Ordinal);
        Assert.DoesNotContain(before!, await RawRowAsync(id), StringComparison.Ordinal); // another kind's secrets never carry over
    }

    public static TheoryData<DestinationKindInput?, string> BadRemoteInput => new()
    {
        { new SftpInput { Host = "sftp://host", UserName = "u", Password = "p" }, "Settings.Host" },
        { new SftpInput { Host = "host", UserName = "u", Password = "p", Port = 70000 }, "Settings.Port" },
        { new SftpInput { Host = "host", UserName = "", Password = "p" }, "Settings.UserName" },
        { new SftpInput { Host = "host", UserName = "u" }, "Settings.Password" },
        { new SftpInput { Host = "host", UserName = "u", PrivateKey = "not a key" }, "Settings.PrivateKey" },
        { new SftpInput { Host = "host", UserName = "u", Password = "p", HostKeySha256 = "SHA256:short" }, "Settings.HostKeySha256" },
        { new SftpInput { Host = "host", UserName = "u", Password = "p", Path = "../etc" }, "Settings.Path" },
        { new SftpInput { Host = "host", UserName = "u", Password = "p", Path = new string('a', 5000) }, "Settings.Path" },
        { new FtpInput { Host = "host", UserName = "u" }, "Settings.Password" },
        { new FtpInput { Host = "host", UserName = "u", Password = "p", CertificateSha256 = "AB:CD" }, "Settings.CertificateSha256" },
        { new FtpInput { Host = "host\nEvil", UserName = "u", Password = "p" }, "Settings.Host" },
        { new S3Input { Bucket = "No_Such Bucket", AccessKeyId = "a", SecretAccessKey = "s" }, "Settings.Bucket" },
        { new S3Input { Bucket = "ok-bucket", Region = "Moon Base", AccessKeyId = "a", SecretAccessKey = "s" }, "Settings.Region" },
        { new S3Input { Bucket = "ok-bucket", ServiceUrl = "ftp://x", AccessKeyId = "a", SecretAccessKey = "s" }, "Settings.ServiceUrl" },
        { new S3Input { Bucket = "ok-bucket", SecretAccessKey = "s" }, "Settings.AccessKeyId" },
        { new S3Input { Bucket = "ok-bucket", AccessKeyId = "a", SecretAccessKey = "s", StorageClass = "CHEAP" }, "Settings.StorageClass" },
        { new S3Input { Bucket = "ok-bucket", AccessKeyId = "a", SecretAccessKey = "s", ObjectLockMode = "Compliance" }, "Settings.ObjectLockDays" },
        { new UnknownKindInput(), "Kind" },
        { null, "Kind" },
    };

    [Theory]
    [MemberData(nameof(BadRemoteInput))]
    public async Task Create_BadRemoteInput_ErrorAtTheFieldAndNothingSaved(DestinationKindInput? settings, string field)
    {
        var input = new DestinationInput { Name = $"Bad {Guid.NewGuid():N}", Settings = settings! };

        var result = await Destinations.CreateAsync(input, Admin, default);

        Assert.True(result.Errors.ContainsKey(field), string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.DoesNotContain(await Destinations.ListAsync(default), d => d.Name == input.Name);
    }

    private static DestinationInput Local(string name, string path, bool isDefault = false) =>
        new() { Name = name, Settings = new LocalInput { Path = path }, IsDefault = isDefault };

    private static FtpDestinationSettings Ftp(Destination destination) => Assert.IsType<FtpDestinationSettings>(destination.Settings);

    /// <summary>A form of a kind this panel does not know (a hostile or outdated client).</summary>
    private sealed class UnknownKindInput : DestinationKindInput
    {
        public override string Kind => "Tape";
    }

    private async Task<string> RawRowAsync(Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT row_to_json(d)::text FROM destinations d WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
