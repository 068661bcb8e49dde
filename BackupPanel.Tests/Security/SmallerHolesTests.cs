using BackupPanel.Core.Databases;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Destinations.Kinds.Ftp;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Notifications;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Security.Paths;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

/// <summary>Issue 16's smaller holes on the data path, each seen open on the code before.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class SmallerHolesTests(AppFixture app)
{
    [Fact]
    public async Task DatabaseNameWithEquals_IsNeverReadAsAConnectionString()
    {
        // A database literally named "dbname=<shop>" next to the shop database: pg_dump -d read the name as a
        // connection string and dumped the shop (another database, or another host, with this password).
        var (shop, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 5);
        var literal = $"dbname={shop}";
        await ShopDatabases.ExecPostgresAsync(app, "postgres", $"CREATE DATABASE \"{literal}\" OWNER \"{role}\"");
        var connection = new DatabaseConnection(DatabaseEngine.PostgreSql, "127.0.0.1", app.Postgres.Server.Port, literal, role, ShopDatabases.Password);

        using var dump = new MemoryStream();
        await PostgreSqlSource.DumpAsync(connection, dump, default);

        Assert.DoesNotContain("orders", System.Text.Encoding.UTF8.GetString(dump.ToArray()), StringComparison.Ordinal); // the empty literal database
        var saved = await app.Services.GetRequiredService<DomainService>().CreateAsync(new DomainInput
        {
            Name = $"n{Guid.NewGuid():N}"[..12] + ".example.com",
            Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = 5432, Name = literal, User = role, NewPassword = "x" }],
        }, BackupTestBed.Operator, default);
        Assert.Contains("Enter the database name", saved.Errors["Databases[0].Name"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredDatabasePassword_NeverFollowsTheDatabaseToAnotherServer()
    {
        var domains = app.Services.GetRequiredService<DomainService>();
        var created = await domains.CreateAsync(new DomainInput
        {
            Name = $"p{Guid.NewGuid():N}"[..12] + ".example.com",
            Databases = [new DatabaseInput { Engine = DatabaseEngine.MySql, Host = "db.internal", Port = 3306, Name = "site", User = "site", NewPassword = "the-real-password" }],
        }, BackupTestBed.Operator, default);
        var form = DomainInput.From((await domains.GetAsync(created.Id!.Value, default))!);

        foreach (var change in new Action<DatabaseInput>[] { d => d.Host = "attacker.example", d => d.Port = 3307, d => d.User = "root" })
        {
            var edited = DomainInput.From((await domains.GetAsync(created.Id.Value, default))!);
            change(edited.Databases[0]);
            var result = await domains.UpdateAsync(created.Id.Value, edited, BackupTestBed.Operator, default);
            Assert.Contains("enter the password again", result.Errors["Databases[0].NewPassword"], StringComparison.Ordinal);
        }

        var stored = await domains.GetAsync(created.Id.Value, default);
        Assert.Equal(("db.internal", "the-real-password"), (stored!.Databases[0].Host, domains.PasswordOf(stored.Databases[0])));
        form.Databases[0].Host = "db2.internal";
        form.Databases[0].NewPassword = "typed-again";
        Assert.True((await domains.UpdateAsync(created.Id.Value, form, BackupTestBed.Operator, default)).Succeeded);
        form = DomainInput.From((await domains.GetAsync(created.Id.Value, default))!);
        form.Notes = "same server: the password stays";
        Assert.True((await domains.UpdateAsync(created.Id.Value, form, BackupTestBed.Operator, default)).Succeeded);
        Assert.Equal("typed-again", domains.PasswordOf((await domains.GetAsync(created.Id.Value, default))!.Databases[0]));
    }

    [Fact]
    public async Task StoredDestinationAndSmtpPasswords_NeverGoToAnotherServer()
    {
        var destinations = app.Services.GetRequiredService<DestinationService>();
        var input = new DestinationInput
        {
            Name = "ftp " + Guid.NewGuid().ToString("N")[..8],
            Settings = new FtpInput { Host = "ftp.internal", Port = 21, UserName = "backup", Password = "ftp-secret", ExplicitTls = false, Path = "b" },
        };
        var id = (await destinations.CreateAsync(input, BackupTestBed.Admin, default)).Id!.Value;
        var edit = new DestinationInput { Name = input.Name, Settings = new FtpInput { Host = "attacker.example", Port = 21, UserName = "backup", ExplicitTls = false, Path = "b" } };

        var moved = await destinations.UpdateAsync(id, edit, BackupTestBed.Admin, default);

        Assert.True(moved.Errors.ContainsKey("Settings.Password"), string.Join("; ", moved.Errors));
        var samePlace = new DestinationInput { Name = input.Name, Settings = new FtpInput { Host = "ftp.internal", Port = 21, UserName = "backup", ExplicitTls = false, Path = "c" } };
        Assert.True((await destinations.UpdateAsync(id, samePlace, BackupTestBed.Admin, default)).Succeeded); // a new folder on the same server keeps it
        await destinations.DeleteAsync(id, BackupTestBed.Admin, default);

        var smtp = app.Services.GetRequiredService<NotificationSettingsService>();
        var before = NotificationSettingsInput.From(await smtp.GetAsync(default));
        try
        {
            var settings = new NotificationSettingsInput { SmtpHost = "smtp.internal", SmtpPort = 587, SmtpUser = "mailer", SmtpPassword = "smtp-secret", FromAddress = "backups@example.test" };
            Assert.Empty(await smtp.SaveAsync(settings, BackupTestBed.Admin, default));
            settings.SmtpPassword = null;
            settings.SmtpHost = "attacker.example";

            Assert.Contains("enter the password again", (await smtp.SaveAsync(settings, BackupTestBed.Admin, default))[nameof(NotificationSettingsInput.SmtpPassword)], StringComparison.Ordinal);
            Assert.Contains("enter the password again", await smtp.SendTestAsync(settings, "admin@example.test", BackupTestBed.Admin, default), StringComparison.Ordinal);
            Assert.Equal("smtp.internal", (await smtp.GetAsync(default)).SmtpHost);
        }
        finally
        {
            before.SmtpPassword = null;
            await smtp.SaveAsync(before, BackupTestBed.Admin, default);
        }
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.2:9/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://[fd00::1]/hook")]
    public async Task PlanWebhookOrPing_IntoThePanelsOwnNetwork_RefusedAtSave(string url)
    {
        var bed = new BackupTestBed(app);
        try
        {
            await bed.AddDestinationAsync();
            var domain = await bed.AddDomainAsync(new DomainInput { FilesRoot = bed.Dir });
            var input = new PlanInput
            {
                Name = "ssrf " + Guid.NewGuid().ToString("N")[..8], DomainIds = [domain.Id], Destinations = { [bed.DestinationId] = null },
                WebhookUrl = url, WebhookSecret = "0123456789abcdef", PingUrl = url,
            };

            var result = await app.Services.GetRequiredService<PlanService>().CreateAsync(input, BackupTestBed.Admin, default);

            Assert.Contains("private or link-local", result.Errors[nameof(PlanInput.WebhookUrl)], StringComparison.Ordinal);
            Assert.Contains("private or link-local", result.Errors[nameof(PlanInput.PingUrl)], StringComparison.Ordinal);
        }
        finally
        {
            bed.Dispose();
        }
    }

    [Fact]
    public async Task WebhookDelivery_ToAnAddressNoAdminAllowed_IsRefusedAtConnect()
    {
        // The suite allows 127.0.0.1 for its listeners; with the allow-list emptied the same call is refused, and
        // nothing reaches the listener (a name resolving to a private address is refused the same way at send time).
        using var listener = new HttpTestListener();
        var guard = app.Services.GetRequiredService<PathGuard>();
        var sender = app.Services.GetRequiredService<WebhookSender>();
        var before = await guard.GetAsync(default);
        var emptied = AllowedRootsInput.From(before);
        emptied.PrivateAddresses = "";
        Assert.Empty(await guard.SaveAsync(emptied, BackupTestBed.Admin, default));
        try
        {
            var refused = await Assert.ThrowsAsync<NotificationDeliveryException>(() => sender.PingAsync(listener.Url, "test", default));

            Assert.Contains("private or link-local", refused.Message, StringComparison.Ordinal);
            Assert.Empty(listener.Received);
        }
        finally
        {
            Assert.Empty(await guard.SaveAsync(AllowedRootsInput.From(before), BackupTestBed.Admin, default));
        }

        await sender.PingAsync(listener.Url, "test", default); // allowed again: delivered
        await listener.WaitForAsync(r => r.Body == "test", "the ping");
    }

    [Theory]
    [InlineData("http://localhost/", true)]
    [InlineData("http://app.localhost/", true)]
    [InlineData("http://[::ffff:169.254.169.254]/", true)]
    [InlineData("http://100.64.0.1/", true)]
    [InlineData("http://0.0.0.0/", true)]
    [InlineData("https://hooks.example.com/x", false)]
    [InlineData("http://192.0.2.10/", false)]
    public void UrlHost_PrivateUnlessListed(string url, bool refused)
    {
        Assert.Equal(refused, Core.Security.Network.NetworkRules.UrlHostError(url, []) is not null);
        Assert.Null(Core.Security.Network.NetworkRules.UrlHostError(url, ["localhost", "app.localhost", "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0"]));
    }

    [Fact]
    public async Task LocalBackupsAndSpool_AreReadableByRootAlone()
    {
        // Found 0644 and 0755 under the umask: any local user could copy every backup (and the spool, and uploads).
        var root = TestPaths.NewTempDir("modes");
        try
        {
            var storage = new Core.Storage.LocalStorageBackend(root);
            await storage.PutAsync("example.com/2026/12/x/files.tar.zst", new MemoryStream([1, 2, 3]), default);

            Assert.Equal(Core.Storage.PrivateFiles.FileMode, Core.Archive.UnixFile.Lstat(Path.Combine(root, "example.com/2026/12/x/files.tar.zst")).Mode);
            foreach (var folder in new[] { "example.com", "example.com/2026", "example.com/2026/12", "example.com/2026/12/x" })
            {
                Assert.Equal(Core.Storage.PrivateFiles.FolderMode, Core.Archive.UnixFile.Lstat(Path.Combine(root, folder)).Mode);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void DataFolder_NobodyElseListsOrReadsIt()
    {
        Assert.True(Core.Archive.UnixFile.IsRoot, "the panel runs as root here: 0711 lets the postgres user through, nothing more");
        var root = TestPaths.NewTempDir("data");
        try
        {
            var fresh = Path.Combine(root, "new");
            var existing = Directory.CreateDirectory(Path.Combine(root, "old")).FullName;
            File.SetUnixFileMode(existing, (UnixFileMode)0b111_101_101); // 0755, as installs before made it

            BackupPanel.Hosting.DataFolder.Secure(fresh);
            BackupPanel.Hosting.DataFolder.Secure(existing);

            Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(fresh));
            Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(existing));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
