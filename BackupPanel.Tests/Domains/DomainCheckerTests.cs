using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Domains;

[Collection(AppCollectionDefinition.Name)]
public sealed class DomainCheckerTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task CheckAsync_EachPart_SaysWhatIsFineAndWhatIsWrong()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "hi");
        var (database, role) = await ShopDatabases.CreatePostgresAsync(app, rows: 1);
        var domain = await _bed.AddDomainAsync(new DomainInput
        {
            FilesRoot = files, MailRoot = Path.Combine(_bed.Dir, "no-mail-here"),
            Databases =
            [
                new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = database, User = role, NewPassword = ShopDatabases.Password },
                new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = app.Postgres.Server.Port, Name = "postgres", User = role, NewPassword = "wrong" },
                new DatabaseInput { Engine = DatabaseEngine.PostgreSql, Host = "127.0.0.1", Port = 1, Name = "x", User = role, NewPassword = "x" },
            ],
        });

        var items = await app.Services.GetRequiredService<DomainChecker>().CheckAsync(domain.Id, default);

        Assert.Equal(5, items.Count);
        Assert.True(items[0].Ok, items[0].Message);
        Assert.Equal("Files root", items[0].Part);
        var good = items.Single(i => i.Part.EndsWith(database, StringComparison.Ordinal));
        Assert.True(good.Ok, good.Message);
        Assert.Contains("pg_dump", good.Message, StringComparison.Ordinal);
        Assert.Contains("password is wrong", items.Single(i => i.Part.EndsWith(" postgres", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot connect", items.Single(i => i.Part.EndsWith(" x", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.False(items[^1].Ok);
        Assert.Contains("does not exist", items[^1].Message, StringComparison.Ordinal);
        Assert.Equal(2, items.Count(i => i.Ok));
    }
}
