using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Hosting;

/// <summary>The real executable, started as `make run` starts it.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class ProcessStartupTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Start_NoConnectionString_RunsOnEmbeddedDatabaseAndStopsItOnShutdown()
    {
        var dataDir = TestPaths.NewTempDir("data");
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackupPanel"] = "",
            ["BackupPanel__DataDirectory"] = dataDir,
        });
        Assert.True(await app.WaitReadyAsync(), app.Output);
        var pidFile = Path.Combine(dataDir, "pg", "data", "postmaster.pid");
        Assert.True(File.Exists(pidFile));

        using var http = new HttpClient();
        var ready = await http.GetStringAsync(app.BaseUrl + "/readyz");
        Assert.Contains("\"database\":\"ok\"", ready, StringComparison.Ordinal);

        Assert.True(await app.StopGracefullyAsync(), app.Output);
        Assert.False(File.Exists(pidFile), "the embedded cluster must stop with the panel");
        Directory.Delete(dataDir, true);
    }

    [Fact]
    public async Task Start_UnreachableDatabase_ExitsWithClearMessageAndNoStackTrace()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackupPanel"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=not-shown-anywhere;Database=x;Timeout=1",
        });
        Assert.True(await app.WaitForExitAsync(60), "the app should give up");
        Assert.Equal(1, app.ExitCode);
        Assert.Contains("BackupPanel cannot start: Cannot reach", app.Output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-shown-anywhere", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WorkerRole_RunsJobsButServesNoPages()
    {
        var cs = await postgres.CreateDatabaseAsync("worker");
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackupPanel"] = cs,
            ["BackupPanel__Role"] = "Worker",
        });
        Assert.True(await app.WaitReadyAsync(), app.Output);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(app.BaseUrl + "/Account/Login")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(app.BaseUrl + "/hangfire")).StatusCode);
        // The Hangfire server announces itself shortly after start; wait for it, bounded.
        Assert.True(await app.WaitUntilAsync("/readyz", body => body.Contains("\"jobServers\":1", StringComparison.Ordinal), 30), app.Output);
    }

    [Theory]
    [InlineData("BackupPanel__NotificationRetries", "99", "NotificationRetries")]
    [InlineData("BackupPanel__CatchUpWindowHours", "0", "CatchUpWindowHours")]
    [InlineData("BackupPanel__Import__MaxCompressionRatio", "1", "MaxCompressionRatio")]
    public async Task Start_InvalidFeatureSetting_ExitsWithClearMessageAndNoStackTrace(string key, string value, string named)
    {
        var cs = await postgres.CreateDatabaseAsync("badsetting");
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__BackupPanel"] = cs, [key] = value });
        Assert.True(await app.WaitForExitAsync(60), "the app should refuse to start");
        Assert.Equal(1, app.ExitCode);
        Assert.Contains("BackupPanel cannot start: Invalid configuration", app.Output, StringComparison.Ordinal);
        Assert.Contains(named, app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidRole_ExitsWithClearMessage()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackupPanel"] = "Host=127.0.0.1;Port=1;Timeout=1",
            ["BackupPanel__Role"] = "Everything",
        });
        Assert.True(await app.WaitForExitAsync(60));
        Assert.Equal(1, app.ExitCode);
        Assert.Contains("BackupPanel:Role must be All, Web or Worker", app.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("repo", "--help")]
    [InlineData("Archive", "extract")]
    public async Task UnknownCommandWord_PrintsTheUsageAndExitsTwo_NeverStartsThePanel(params string[] args)
    {
        // Found: any other first word started the web panel, which took the data folder's database (and stopped it on exit).
        var data = Path.Combine(TestPaths.NewTempDir("cli"), "data");

        var result = await Shell.PanelAsync(args, new Dictionary<string, string> { ["BackupPanel__DataDirectory"] = data });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"unknown command '{args[0]}'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "the panel started and made its data folder");
    }

    [Fact]
    public async Task Help_PrintsTheUsageAndExitsZero()
    {
        var result = await Shell.PanelAsync(["help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("BackupPanel archive create|extract|verify", result.Output, StringComparison.Ordinal);
    }
}
