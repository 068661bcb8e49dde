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
}
