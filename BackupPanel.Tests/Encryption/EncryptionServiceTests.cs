using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Data;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Encryption;

[Collection(AppCollectionDefinition.Name)]
public sealed class EncryptionServiceTests(AppFixture app)
{
    private static readonly AuditActor Admin = new("admin-id", "admin@example.test", "127.0.0.1");

    private EncryptionService Service => app.Services.GetRequiredService<EncryptionService>();

    [Fact]
    public async Task EnsurePanelKeyAsync_RunAgain_KeepsTheOneKeyAndItsIdentityIsProtectedAtRest()
    {
        await Service.EnsurePanelKeyAsync(default);
        var first = await Service.PanelIdentityAsync(default);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Service.EnsurePanelKeyAsync(default)));

        Assert.Equal(first.Recipient, (await Service.PanelIdentityAsync(default)).Recipient);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        var stored = await db.EncryptionKeys.SingleAsync(k => k.IsPanelKey);
        Assert.DoesNotContain("AGE-SECRET-KEY", stored.ProtectedIdentity, StringComparison.OrdinalIgnoreCase);
        Assert.All(await Service.ListAsync(default), k => Assert.Null(k.ProtectedIdentity));
    }

    [Fact]
    public async Task RecoveryKit_DecryptsWithAgeAsIsAndStopsTheWarning()
    {
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync())
        {
            await Service.EnsurePanelKeyAsync(default);
            await db.EncryptionKeys.Where(k => k.IsPanelKey).ExecuteUpdateAsync(s => s.SetProperty(k => k.RecoveryKitDownloadedAt, (DateTimeOffset?)null));
        }

        Assert.True(await Service.RecoveryKitMissingAsync(default));
        var kit = await Service.RecoveryKitAsync(Admin, default);
        Assert.False(await Service.RecoveryKitMissingAsync(default));

        var dir = TestPaths.NewTempDir("kit");
        try
        {
            var kitFile = Path.Combine(dir, RecoveryKit.FileName);
            await File.WriteAllTextAsync(kitFile, kit);
            var plain = Path.Combine(dir, "plain.txt");
            await File.WriteAllTextAsync(plain, "only the kit opens this");
            var recipient = (await Service.RecipientsAsync(default))[0].ToString();
            (await Shell.RunAsync("age", ["-r", recipient, "-o", plain + ".age", plain])).EnsureSuccess("age -r");
            var decrypted = await Shell.RunAsync("age", ["-d", "-i", kitFile, plain + ".age"]);
            decrypted.EnsureSuccess("age -d");
            Assert.Equal("only the kit opens this", decrypted.Output);
            Assert.Contains("KEEP THIS FILE SECRET", kit, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task AddAsync_AdminKey_IsARecipientOfLaterBackupsUntilRemoved()
    {
        var identity = AgeIdentity.Generate();

        var added = await Service.AddAsync("Ops laptop", identity.Recipient.ToString(), Admin, default);

        Assert.True(added.Succeeded, added.Error);
        Assert.Contains(identity.Recipient, await Service.RecipientsAsync(default));
        Assert.True((await Service.RemoveAsync(added.Id!.Value, Admin, default)).Succeeded);
        Assert.DoesNotContain(identity.Recipient, await Service.RecipientsAsync(default));
    }

    public static TheoryData<string, string, string> BadKeys => new()
    {
        { "Mine", "", "PublicKey" },
        { "Mine", "age1notakey", "PublicKey" },
        { "Mine", AgeIdentity.Generate().ToSecretString(), "PublicKey" },
        { "Mine", "age1" + new string('q', 5000), "PublicKey" },
        { "Mine", "<script>alert(1)</script>", "PublicKey" },
        { "", AgeIdentity.Generate().Recipient.ToString(), "Label" },
        { new string('x', 101), AgeIdentity.Generate().Recipient.ToString(), "Label" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task AddAsync_BadInput_SaysWhatIsWrongAndAddsNothing(string label, string key, string field)
    {
        var before = (await Service.ListAsync(default)).Count;

        var result = await Service.AddAsync(label, key, Admin, default);

        Assert.False(result.Succeeded);
        Assert.Equal(field, result.Field);
        Assert.DoesNotContain("AGE-SECRET-KEY", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await Service.ListAsync(default)).Count);
    }

    [Fact]
    public async Task AddAsync_SameKeyTwice_RefusedAsDuplicate()
    {
        var key = AgeIdentity.Generate().Recipient.ToString();
        var first = await Service.AddAsync("A", key, Admin, default);

        var second = await Service.AddAsync("B", key, Admin, default);

        Assert.False(second.Succeeded);
        Assert.Contains("already", second.Error, StringComparison.Ordinal);
        await Service.RemoveAsync(first.Id!.Value, Admin, default);
    }

    [Fact]
    public async Task RemoveAsync_PanelKey_IsRefused()
    {
        var panel = (await Service.ListAsync(default)).Single(k => k.IsPanelKey);

        var result = await Service.RemoveAsync(panel.Id, Admin, default);

        Assert.False(result.Succeeded);
        Assert.Contains(panel.PublicKey, (await Service.RecipientsAsync(default)).Select(r => r.ToString()));
    }
}
