using BackupPanel.Core.Data;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Domains;

[Collection(AppCollectionDefinition.Name)]
public sealed class DomainServiceTests(AppFixture app)
{
    private static readonly AuditActor Operator = new("op-id", "operator@example.test", "127.0.0.1");

    private DomainService Domains => app.Services.GetRequiredService<DomainService>();

    [Fact]
    public async Task CreateAsync_ValidInput_StoresNormalizedDomainAndEncryptsThePassword()
    {
        var name = $"Shop-{Guid.NewGuid():N}"[..20] + ".Example.COM.";
        var input = new DomainInput
        {
            Name = name, FilesRoot = "/var/www/shop/", Excludes = "*.log\n\n cache/ ",
            Databases = [new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = 5432, Name = "shop", User = "shop", NewPassword = "s3cret-Passw0rd" }],
        };

        var result = await Domains.CreateAsync(input, Operator, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        var stored = await Domains.GetAsync(result.Id!.Value, default);
        Assert.Equal(name.ToLowerInvariant().TrimEnd('.'), stored!.Name);
        Assert.Equal("/var/www/shop", stored.FilesRoot);
        Assert.Equal(["*.log", "cache/"], stored.Excludes);
        var database = Assert.Single(stored.Databases);
        Assert.DoesNotContain("s3cret", database.ProtectedPassword, StringComparison.Ordinal);
        Assert.Equal("s3cret-Passw0rd", Domains.PasswordOf(database));
        var audit = await LastAuditAsync(stored.Name);
        Assert.Equal(AuditActions.DomainCreated, audit.Action);
        Assert.DoesNotContain("s3cret", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_EmptyPassword_KeepsTheStoredOne()
    {
        var created = await Domains.CreateAsync(WithDatabase(Unique(), "first-password"), Operator, default);
        var form = DomainInput.From((await Domains.GetAsync(created.Id!.Value, default))!);

        Assert.True(form.Databases[0].HasPassword);
        Assert.Null(form.Databases[0].NewPassword);
        form.Notes = "changed";
        Assert.True((await Domains.UpdateAsync(created.Id.Value, form, Operator, default)).Succeeded);

        var stored = await Domains.GetAsync(created.Id.Value, default);
        Assert.Equal("first-password", Domains.PasswordOf(stored!.Databases[0]));
        Assert.Equal("changed", stored.Notes);
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_ErrorAtTheNameField()
    {
        var name = Unique();
        Assert.True((await Domains.CreateAsync(new DomainInput { Name = name, FilesRoot = "/srv/a" }, Operator, default)).Succeeded);

        var again = await Domains.CreateAsync(new DomainInput { Name = name.ToUpperInvariant(), FilesRoot = "/srv/b" }, Operator, default);

        Assert.Contains("exists already", again.Errors["Name"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_UnicodeName_StoredAsPunycode()
    {
        var result = await Domains.CreateAsync(new DomainInput { Name = $"bücher-{Guid.NewGuid():N}"[..16] + ".de", FilesRoot = "/srv/b" }, Operator, default);

        Assert.True(result.Succeeded);
        Assert.StartsWith("xn--", (await Domains.GetAsync(result.Id!.Value, default))!.Name, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string, string> BadInput => new()
    {
        { "", "/srv/x", "Name", "fully qualified" },
        { "no_underscores.example.com", "/srv/x", "Name", "fully qualified" },
        { "localhost", "/srv/x", "Name", "fully qualified" },
        { new string('a', 300) + ".com", "/srv/x", "Name", "fully qualified" },
        { "ok.example.com", "relative/path", "FilesRoot", "absolute path" },
        { "ok.example.com", "/", "FilesRoot", "not '/'" },
        { "ok.example.com", "/srv/../etc", "FilesRoot", "without '..'" },
        { "ok.example.com", "/srv/\u0001x", "FilesRoot", "absolute path" },
        { "ok.example.com", null, "FilesRoot", "Nothing to back up" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task CreateAsync_BadInput_ErrorAtTheFieldAndNothingStored(string name, string? filesRoot, string field, string expected)
    {
        var before = await CountAsync();

        var result = await Domains.CreateAsync(new DomainInput { Name = name, FilesRoot = filesRoot }, Operator, default);

        Assert.Contains(expected, result.Errors[field], StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData("Host", "", "host name")]
    [InlineData("Host", "evil host; rm -rf /", "host name")]
    [InlineData("Port", "0", "1 to 65535")]
    [InlineData("Port", "70000", "1 to 65535")]
    [InlineData("Name", "", "database name")]
    [InlineData("User", "", "user name")]
    public async Task CreateAsync_BadDatabaseRow_ErrorAtThatRowsField(string field, string value, string expected)
    {
        var input = WithDatabase(Unique(), "pw");
        var row = input.Databases[0];
        switch (field)
        {
            case "Host": row.Host = value; break;
            case "Port": row.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "Name": row.Name = value; break;
            default: row.User = value; break;
        }

        var result = await Domains.CreateAsync(input, Operator, default);

        Assert.Contains(expected, result.Errors[$"Databases[0].{field}"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_HugeAndHostileInput_RefusedWithoutStoring()
    {
        var input = new DomainInput
        {
            Name = "huge.example.com", FilesRoot = "/srv/" + new string('x', 5000), Excludes = "../../etc", Notes = new string('n', 5000),
            Databases = Enumerable.Range(0, 25).Select(i => new DatabaseInput { Name = $"db{i}", User = "u" }).ToList(),
        };

        var result = await Domains.CreateAsync(input, Operator, default);

        Assert.Equal(["Databases", "Excludes", "FilesRoot", "Notes"], result.Errors.Keys.Order());
    }

    [Fact]
    public async Task DeleteAsync_ExistingDomain_RemovedAndAudited()
    {
        var name = Unique();
        var created = await Domains.CreateAsync(WithDatabase(name, "pw"), Operator, default);

        var deleted = await Domains.DeleteAsync(created.Id!.Value, Operator, default);

        Assert.True(deleted.Succeeded);
        Assert.Null(await Domains.GetAsync(created.Id.Value, default));
        Assert.Equal(AuditActions.DomainDeleted, (await LastAuditAsync(name)).Action);
    }

    [Fact]
    public async Task Owner_OnlyAnAdminSetsOrChangesIt_AndItMustExistHere()
    {
        var admin = Operator with { IsAdmin = true };
        var input = WithDatabase(Unique(), "pw");
        (input.OwnerUser, input.OwnerGroup) = ("nobody", "nogroup");

        var byOperator = await Domains.CreateAsync(input, Operator, default);

        Assert.False(byOperator.Succeeded);
        Assert.Contains("Only an Admin", byOperator.Errors[nameof(DomainInput.OwnerUser)], StringComparison.Ordinal);
        var created = await Domains.CreateAsync(input, admin, default);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Values));

        // An Operator may edit everything else (the owner comes back unchanged), not the owner.
        var form = DomainInput.From((await Domains.GetAsync(created.Id!.Value, default))!);
        form.Notes = "edited by an Operator";
        Assert.True((await Domains.UpdateAsync(created.Id.Value, form, Operator, default)).Succeeded);
        (form.OwnerUser, form.OwnerGroup) = ("root", "root");
        Assert.False((await Domains.UpdateAsync(created.Id.Value, form, Operator, default)).Succeeded);
        (form.OwnerUser, form.OwnerGroup) = (null, null);
        Assert.False((await Domains.UpdateAsync(created.Id.Value, form, Operator, default)).Succeeded);
        var stored = await Domains.GetAsync(created.Id.Value, default);
        Assert.Equal(("nobody", "nogroup", "edited by an Operator"), (stored!.OwnerUser, stored.OwnerGroup, stored.Notes));
        Assert.Equal("nobody:nogroup", DomainOwner.Resolve(stored)?.Owner.Name);

        // Wrong, half and hostile names are named by field; nothing is saved.
        foreach (var (user, group, field) in new[]
        {
            ("no-such-user-here", "nogroup", nameof(DomainInput.OwnerUser)), ("nobody", "no-such-group", nameof(DomainInput.OwnerGroup)),
            ("nobody", "", nameof(DomainInput.OwnerGroup)), ("", "nogroup", nameof(DomainInput.OwnerUser)),
            ("root:x:0:0", "nogroup", nameof(DomainInput.OwnerUser)), (new string('a', 10_000), "nogroup", nameof(DomainInput.OwnerUser)),
        })
        {
            (form.OwnerUser, form.OwnerGroup) = (user, group);
            var result = await Domains.UpdateAsync(created.Id.Value, form, admin, default);
            Assert.True(result.Errors.ContainsKey(field), $"{user}/{group}: {string.Join("; ", result.Errors)}");
        }

        Assert.Equal("nobody", (await Domains.GetAsync(created.Id.Value, default))!.OwnerUser);
    }

    private static string Unique() => $"d{Guid.NewGuid():N}"[..12] + ".example.com";

    private static DomainInput WithDatabase(string name, string password) => new()
    {
        Name = name, FilesRoot = "/srv/site",
        Databases = [new DatabaseInput { Engine = DatabaseEngine.MySql, Host = "db.internal", Port = 3306, Name = "site", User = "site", NewPassword = password }],
    };

    private async Task<int> CountAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        return await db.Domains.CountAsync();
    }

    private async Task<AuditEntry> LastAuditAsync(string target)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.Where(e => e.TargetId == target).OrderByDescending(e => e.Id).FirstAsync();
    }
}
