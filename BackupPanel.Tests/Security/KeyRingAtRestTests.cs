using System.Diagnostics;
using System.Security.Cryptography;
using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.KeyRing;
using BackupPanel.Hosting;
using BackupPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BackupPanel.Tests.Security;

/// <summary>
/// The Data Protection key ring is sealed with a key file outside the database: a dump of the panel's database (what
/// a stolen backup of it, or a reader of the database, has) decrypts no stored secret; with the key file it does.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class KeyRingAtRestTests(PostgresFixture postgres)
{
    private const string Secret = "sftp-password-of-the-offsite-box";

    [Fact]
    public async Task DatabaseDump_WithoutTheKeyFile_DecryptsNoSecret_WithTheKeyFileItDoes()
    {
        var keyFile = Path.Combine(TestPaths.NewTempDir("keyring"), "keyring.key");
        var key = KeyRingKey.LoadOrCreate(keyFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var cs = await postgres.CreateDatabaseAsync("ring");
        string ciphertext;
        await using (var panel = await StartAsync(cs, key))
        {
            ciphertext = panel.GetRequiredService<SecretProtector>().Protect(Secret);
        }

        // The dump, restored on another machine with the default configuration (no key file).
        var dump = await PgDumpAsync(cs);
        Assert.DoesNotContain("<value>", dump, StringComparison.Ordinal); // the master keys are sealed, not in the clear
        var restored = await RestoreAsync(dump);
        await using (var thief = await StartAsync(restored, keyRingKey: null))
        {
            Assert.ThrowsAny<CryptographicException>(() => thief.GetRequiredService<SecretProtector>().Unprotect(ciphertext));
        }

        await using (var owner = await StartAsync(restored, KeyRingKey.LoadOrCreate(keyFile)))
        {
            Assert.Equal(Secret, owner.GetRequiredService<SecretProtector>().Unprotect(ciphertext));
        }
    }

    [Fact]
    public async Task ThePanelItself_RestoredOnANewMachine_StartsWithItsKeyFile_AndStopsWithOneLineWithoutIt()
    {
        var oldMachine = TestPaths.NewTempDir("oldbox");
        var keyFile = Path.Combine(oldMachine, "keyring.key");
        var cs = await postgres.CreateDatabaseAsync("panel");
        await using (var old = AppProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__BackupPanel"] = cs, ["BackupPanel__DataDirectory"] = oldMachine }))
        {
            Assert.True(await old.WaitReadyAsync(), old.Output); // makes the key ring (the panel's age key is stored protected by it)
        }
        Assert.True(File.Exists(keyFile));
        var restored = await RestoreAsync(await PgDumpAsync(cs));

        // The new machine with the dump but not the key file: one clear line, no stack trace, nothing started.
        await using (var withoutKey = AppProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__BackupPanel"] = restored, ["BackupPanel__DataDirectory"] = TestPaths.NewTempDir("newbox") }))
        {
            Assert.True(await withoutKey.WaitForExitAsync(90), withoutKey.Output);
            Assert.Equal(1, withoutKey.ExitCode);
            Assert.Contains("does not open the key ring in the database", withoutKey.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", withoutKey.Output, StringComparison.Ordinal);
        }

        // With the key file restored: the panel starts and uses what it stored (its age key opens).
        var newMachine = TestPaths.NewTempDir("newbox");
        File.Copy(keyFile, Path.Combine(newMachine, "keyring.key"));
        await using var withKey = AppProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__BackupPanel"] = restored, ["BackupPanel__DataDirectory"] = newMachine });
        Assert.True(await withKey.WaitReadyAsync(), withKey.Output);
        await using var sp = await StartAsync(restored, KeyRingKey.LoadOrCreate(Path.Combine(newMachine, "keyring.key")));
        var identity = await ActivatorUtilities.CreateInstance<BackupPanel.Core.Encryption.EncryptionService>(sp).PanelIdentityAsync(default);
        Assert.StartsWith("age1", identity.Recipient.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysStoredInTheClear_ByAnOlderVersion_AreSealedAtStart_AndSecretsStillOpen()
    {
        var cs = await postgres.CreateDatabaseAsync("ring");
        string ciphertext;
        await using (var older = await StartAsync(cs, keyRingKey: null))
        {
            ciphertext = older.GetRequiredService<SecretProtector>().Protect(Secret);
        }
        Assert.Contains("<value>", await PgDumpAsync(cs), StringComparison.Ordinal); // what the attack read before

        var key = KeyRingKey.LoadOrCreate(Path.Combine(TestPaths.NewTempDir("keyring"), "keyring.key"));
        await using (var upgraded = await StartAsync(cs, key))
        {
            Assert.Equal(1, await upgraded.GetRequiredService<KeyRingSealing>().SealAndCheckAsync(default));
            Assert.Equal(0, await upgraded.GetRequiredService<KeyRingSealing>().SealAndCheckAsync(default));
        }

        Assert.DoesNotContain("<value>", await PgDumpAsync(cs), StringComparison.Ordinal);
        await using (var after = await StartAsync(cs, key))
        {
            Assert.Equal(Secret, after.GetRequiredService<SecretProtector>().Unprotect(ciphertext));
        }
        await using (var thief = await StartAsync(cs, keyRingKey: null))
        {
            Assert.ThrowsAny<CryptographicException>(() => thief.GetRequiredService<SecretProtector>().Unprotect(ciphertext));
        }
    }

    [Fact]
    public async Task WrongKeyFile_IsReportedAtStart()
    {
        var cs = await postgres.CreateDatabaseAsync("ring");
        await using (var first = await StartAsync(cs, KeyRingKey.LoadOrCreate(Path.Combine(TestPaths.NewTempDir("keyring"), "keyring.key"))))
        {
            first.GetRequiredService<SecretProtector>().Protect(Secret);
        }

        await using var other = await StartAsync(cs, KeyRingKey.LoadOrCreate(Path.Combine(TestPaths.NewTempDir("keyring"), "keyring.key")));
        var ex = await Assert.ThrowsAnyAsync<CryptographicException>(() => other.GetRequiredService<KeyRingSealing>().SealAndCheckAsync(default));
        Assert.Contains("was not sealed with", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessesStartingTogether_AllGetTheOneKeyThatWon()
    {
        // A panel and its workers on a fresh machine: before, the second to create the file failed to start.
        var keyFile = Path.Combine(TestPaths.NewTempDir("keyring"), "keyring.key");
        using var go = new ManualResetEventSlim();
        var starting = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            go.Wait();
            return KeyRingKey.LoadOrCreate(keyFile);
        })).ToList();
        go.Set();
        var keys = await Task.WhenAll(starting);
        var sealedByFirst = new KeyFileXmlEncryptor(keys[0]).Encrypt(new System.Xml.Linq.XElement("secret", "x")).EncryptedElement;
        foreach (var key in keys)
        {
            var services = new ServiceCollection().AddSingleton(key).BuildServiceProvider();
            Assert.Equal("x", new KeyFileXmlDecryptor(services).Decrypt(sealedByFirst).Value);
        }
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(keyFile)!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all")]
    [InlineData("c2hvcnQ=")]
    public void DamagedKeyFile_IsRefusedWithItsPath(string content)
    {
        var keyFile = Path.Combine(TestPaths.NewTempDir("keyring"), "keyring.key");
        File.WriteAllText(keyFile, content);
        var ex = Assert.Throws<InvalidDataException>(() => KeyRingKey.LoadOrCreate(keyFile));
        Assert.Contains(keyFile, ex.Message, StringComparison.Ordinal);
    }

    private static async Task<ServiceProvider> StartAsync(string cs, KeyRingKey? keyRingKey)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBackupPanelData(new DatabaseConnections(cs), keyRingKey);
        services.AddBackupPanelSecurity();
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<BackupPanelDbContext>();
        var sp = services.BuildServiceProvider();
        await using var scope = sp.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return sp;
    }

    private static async Task<string> PgDumpAsync(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return await RunAsync("pg_dump", ["-h", b.Host!, "-p", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", b.Username!, "--no-owner", b.Database!], null);
    }

    private async Task<string> RestoreAsync(string dump)
    {
        var target = await postgres.CreateDatabaseAsync("restored");
        var b = new NpgsqlConnectionStringBuilder(target);
        await RunAsync("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-h", b.Host!, "-p", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", b.Username!, "-d", b.Database!], dump);
        return target;
    }

    private static async Task<string> RunAsync(string tool, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(Path.Combine(EmbeddedPostgres.FindBinDir()!, tool))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {await error}");
        return await output;
    }
}
