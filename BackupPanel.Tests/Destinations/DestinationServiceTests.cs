using BackupPanel.Core.Destinations;
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
        var result = await Destinations.CreateAsync(new DestinationInput { Name = $"Local {Guid.NewGuid():N}", Path = _dir + "/" }, Admin, default);

        var test = await Destinations.TestAsync(result.Id!.Value, default);

        Assert.True(test.Success, test.Message);
        var stored = await Destinations.GetAsync(result.Id.Value, default);
        Assert.Equal(_dir, stored!.Path);
        Assert.True(stored.LastTestSucceeded);
        Assert.Empty(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Test_MissingFolder_FailsSayingWhichFolder()
    {
        var missing = Path.Combine(_dir, "not-there");
        var result = await Destinations.CreateAsync(new DestinationInput { Name = $"Missing {Guid.NewGuid():N}", Path = missing }, Admin, default);

        var test = await Destinations.TestAsync(result.Id!.Value, default);

        Assert.False(test.Success);
        Assert.Contains("not-there' does not exist", test.Message, StringComparison.Ordinal);
        Assert.False((await Destinations.GetAsync(result.Id.Value, default))!.LastTestSucceeded);
    }

    [Fact]
    public async Task Create_Default_OnlyOneDefaultRemains()
    {
        var first = await Destinations.CreateAsync(new DestinationInput { Name = $"A {Guid.NewGuid():N}", Path = _dir, IsDefault = true }, Admin, default);
        var second = await Destinations.CreateAsync(new DestinationInput { Name = $"B {Guid.NewGuid():N}", Path = _dir, IsDefault = true }, Admin, default);

        Assert.False((await Destinations.GetAsync(first.Id!.Value, default))!.IsDefault);
        Assert.True((await Destinations.GetAsync(second.Id!.Value, default))!.IsDefault);
        Assert.Single(await Destinations.ListAsync(default), d => d.IsDefault);
    }

    [Theory]
    [InlineData("", "/srv/backups", "Name")]
    [InlineData("ok", "relative", "Path")]
    [InlineData("ok", "/", "Path")]
    [InlineData("ok", "/srv/../etc", "Path")]
    public async Task Create_BadInput_ErrorAtTheField(string name, string path, string field)
    {
        var result = await Destinations.CreateAsync(new DestinationInput { Name = name, Path = path }, Admin, default);

        Assert.True(result.Errors.ContainsKey(field));
    }

    [Fact]
    public async Task Create_Sftp_SecretsAreEncryptedAtRestAndNeverReadBack()
    {
        const string Password = "Sftp-secret-at-rest-1";
        const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret-key-body\n-----END OPENSSH PRIVATE KEY-----";
        var input = new DestinationInput
        {
            Name = $"SFTP {Guid.NewGuid():N}", Kind = DestinationKind.Sftp, Host = "backup.example.com", UserName = "panel", Password = Password,
            PrivateKey = Key, Passphrase = "key-passphrase-1", Path = "backups",
        };

        var result = await Destinations.CreateAsync(input, Admin, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        Assert.Null(input.Password); // the form does not keep a secret once saved
        var row = await RawRowAsync(result.Id!.Value);
        Assert.DoesNotContain(Password, row, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-body", row, StringComparison.Ordinal);
        Assert.DoesNotContain("key-passphrase-1", row, StringComparison.Ordinal);
        var stored = await Destinations.GetAsync(result.Id.Value, default);
        Assert.Equal(22, stored!.Port);
        Assert.Equal("sftp://panel@backup.example.com:22/backups", stored.Where);
        Assert.DoesNotContain(Password, stored.ToString(), StringComparison.Ordinal);
        var form = DestinationInput.From(stored);
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
            Name = $"FTP {Guid.NewGuid():N}", Kind = DestinationKind.Ftp, Host = "ftp.example.com", UserName = "panel", Password = "Ftp-secret-1",
        }, Admin, default);
        var id = created.Id!.Value;
        var before = (await Destinations.GetAsync(id, default))!.PasswordSecret;

        var edit = DestinationInput.From((await Destinations.GetAsync(id, default))!);
        edit.Path = "other";
        Assert.True((await Destinations.UpdateAsync(id, edit, Admin, default)).Succeeded);
        Assert.Equal(before, (await Destinations.GetAsync(id, default))!.PasswordSecret);

        var toS3 = DestinationInput.From((await Destinations.GetAsync(id, default))!);
        toS3.Kind = DestinationKind.S3;
        toS3.Bucket = "my-bucket";
        toS3.AccessKeyId = "AKIAEXAMPLE";
        var refused = await Destinations.UpdateAsync(id, toS3, Admin, default);
        Assert.Contains(nameof(DestinationInput.SecretAccessKey), refused.Errors.Keys);
        toS3.SecretAccessKey = "s3-secret-1";
        Assert.True((await Destinations.UpdateAsync(id, toS3, Admin, default)).Succeeded);
        var s3 = (await Destinations.GetAsync(id, default))!;
        Assert.Null(s3.PasswordSecret);
        Assert.Null(s3.Host);
        Assert.NotNull(s3.SecretAccessKeySecret);
    }

    public static TheoryData<DestinationInput, string> BadRemoteInput => new()
    {
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "sftp://host", UserName = "u", Password = "p" }, "Host" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "u", Password = "p", Port = 70000 }, "Port" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "", Password = "p" }, "UserName" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "u" }, "Password" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "u", PrivateKey = "not a key" }, "PrivateKey" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "u", Password = "p", HostKeySha256 = "SHA256:short" }, "HostKeySha256" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "u", Password = "p", Path = "../etc" }, "Path" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Sftp, Host = "host", UserName = "u", Password = "p", Path = new string('a', 5000) }, "Path" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Ftp, Host = "host", UserName = "u" }, "Password" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Ftp, Host = "host", UserName = "u", Password = "p", CertificateSha256 = "AB:CD" }, "CertificateSha256" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.Ftp, Host = "host\nEvil", UserName = "u", Password = "p" }, "Host" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.S3, Bucket = "No_Such Bucket", AccessKeyId = "a", SecretAccessKey = "s" }, "Bucket" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.S3, Bucket = "ok-bucket", Region = "Moon Base", AccessKeyId = "a", SecretAccessKey = "s" }, "Region" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.S3, Bucket = "ok-bucket", ServiceUrl = "ftp://x", AccessKeyId = "a", SecretAccessKey = "s" }, "ServiceUrl" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.S3, Bucket = "ok-bucket", SecretAccessKey = "s" }, "AccessKeyId" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.S3, Bucket = "ok-bucket", AccessKeyId = "a", SecretAccessKey = "s", StorageClass = "CHEAP" }, "StorageClass" },
        { new DestinationInput { Name = "x", Kind = DestinationKind.S3, Bucket = "ok-bucket", AccessKeyId = "a", SecretAccessKey = "s", ObjectLockMode = "Compliance" }, "ObjectLockDays" },
        { new DestinationInput { Name = "x", Kind = (DestinationKind)42 }, "Kind" },
    };

    [Theory]
    [MemberData(nameof(BadRemoteInput))]
    public async Task Create_BadRemoteInput_ErrorAtTheFieldAndNothingSaved(DestinationInput input, string field)
    {
        input.Name = $"Bad {Guid.NewGuid():N}";

        var result = await Destinations.CreateAsync(input, Admin, default);

        Assert.True(result.Errors.ContainsKey(field), string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.DoesNotContain(await Destinations.ListAsync(default), d => d.Name == input.Name);
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
