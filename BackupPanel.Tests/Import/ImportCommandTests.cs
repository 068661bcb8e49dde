using System.Text.Json;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Import;

/// <summary><c>BackupPanel import inspect</c> as operators run it: the built executable, no database.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ImportCommandTests(AppFixture app)
{
    [Fact]
    public async Task Inspect_Recognized_PrintsThePreviewAsJsonAndExitsZero()
    {
        var archive = Path.Combine(await ImportFixtures.GetAsync(app.Postgres), "virtualmin/virtualmin-all.tar.gz");

        var result = await Shell.PanelAsync(["import", "inspect", archive]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("Virtualmin", json.RootElement.GetProperty("format").GetString());
        var domain = json.RootElement.GetProperty("domains")[0];
        Assert.Equal("vm-shop.test", domain.GetProperty("name").GetString());
        Assert.Equal(2, domain.GetProperty("databases").GetArrayLength());
        Assert.Equal(2, domain.GetProperty("mailboxes").GetArrayLength());
        Assert.Equal(6, domain.GetProperty("files").GetInt32());
        Assert.Contains("— not imported", json.RootElement.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hostile/traversal.tar.gz", "climbs out with '..'")]
    [InlineData("hostile/unknown.tar.gz", "not one of cPanel, Virtualmin or Plesk")]
    [InlineData("no/such/file.tar.gz", "no such file or folder")]
    public async Task Inspect_Refused_ExitsTwoWithTheReasonOnStderr(string fixture, string reason)
    {
        var archive = Path.Combine(await ImportFixtures.GetAsync(app.Postgres), fixture);

        var result = await Shell.PanelAsync(["import", "inspect", archive]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output.Trim());
    }

    [Fact]
    public async Task Import_WrongUsage_PrintsHelpAndExitsTwo()
    {
        var result = await Shell.PanelAsync(["import", "inspekt"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("BackupPanel import inspect ARCHIVE", result.Error, StringComparison.Ordinal);
    }
}
