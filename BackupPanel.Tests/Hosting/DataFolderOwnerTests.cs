using System.Diagnostics;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Hosting;

/// <summary>
/// One owner for the embedded cluster: a second web process on the same data folder refuses to start and the first
/// keeps its database; a worker attaches without owning it; and a cluster that dies under a running panel comes back.
/// </summary>
public sealed class DataFolderOwnerTests
{
    [Fact]
    public async Task SecondPanel_OnTheSameDataFolder_RefusesToStart_AndTheFirstKeepsItsDatabase()
    {
        var dataDir = TestPaths.NewTempDir("owner");
        await using var first = AppProcess.Start(Embedded(dataDir));
        Assert.True(await first.WaitReadyAsync(), first.Output);

        await using (var second = AppProcess.Start(Embedded(dataDir)))
        {
            Assert.True(await second.WaitForExitAsync(90), "the second panel must not keep running: " + second.Output);
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("BackupPanel cannot start: Another BackupPanel process", second.Output, StringComparison.Ordinal);
            Assert.Contains($"(pid {first.ProcessId})", second.Output, StringComparison.Ordinal);
        }

        // The first still answers from its database, now and a little later (it would see the cluster gone at once).
        Assert.True(await first.WaitUntilAsync("/readyz", b => b.Contains("\"database\":\"ok\"", StringComparison.Ordinal), 10), first.Output);
        Assert.True(File.Exists(Path.Combine(dataDir, "pg", "data", "postmaster.pid")));
        using var http = new HttpClient();
        var login = await http.GetAsync(first.BaseUrl + "/Account/Login");
        Assert.True(login.IsSuccessStatusCode, $"{login.StatusCode}");
    }

    [Fact]
    public async Task Worker_OnTheSameDataFolder_Attaches_AndLeavesTheClusterRunningWhenItStops()
    {
        var dataDir = TestPaths.NewTempDir("owner");
        await using var panel = AppProcess.Start(Embedded(dataDir));
        Assert.True(await panel.WaitReadyAsync(), panel.Output);

        var worker = AppProcess.Start(new Dictionary<string, string>(Embedded(dataDir)) { ["BackupPanel__Role"] = "Worker" });
        await using (worker)
        {
            Assert.True(await worker.WaitUntilAsync("/readyz", b => b.Contains("\"database\":\"ok\"", StringComparison.Ordinal)), worker.Output);
            Assert.True(await worker.StopGracefullyAsync(), worker.Output);
        }

        Assert.True(File.Exists(Path.Combine(dataDir, "pg", "data", "postmaster.pid")), "the worker must not stop a cluster it does not own");
        Assert.True(await panel.WaitUntilAsync("/readyz", b => b.Contains("\"database\":\"ok\"", StringComparison.Ordinal), 10), panel.Output);
    }

    [Fact]
    public async Task ClusterKilled_UnderARunningPanel_IsStartedAgain_AndReadyzRecoversWithin30Seconds()
    {
        var dataDir = TestPaths.NewTempDir("owner");
        await using var panel = AppProcess.Start(Embedded(dataDir));
        Assert.True(await panel.WaitReadyAsync(), panel.Output);
        var pidFile = Path.Combine(dataDir, "pg", "data", "postmaster.pid");
        var postmaster = int.Parse((await File.ReadAllLinesAsync(pidFile))[0], System.Globalization.CultureInfo.InvariantCulture);

        using (var kill = Process.Start("kill", ["-KILL", postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        Assert.True(await WaitAsync(() => !Directory.Exists($"/proc/{postmaster}"), 10), "the server should be gone");

        Assert.True(await panel.WaitUntilAsync("/readyz", b => b.Contains("\"database\":\"ok\"", StringComparison.Ordinal), 30),
            "readyz did not recover within 30 s: " + panel.Output);
        var restarted = int.Parse((await File.ReadAllLinesAsync(pidFile))[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(postmaster, restarted);
        Assert.Contains("starting it again (attempt 1 of", panel.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Embedded(string dataDir) => new()
    {
        ["ConnectionStrings__BackupPanel"] = "",
        ["BackupPanel__DataDirectory"] = dataDir,
    };

    private static async Task<bool> WaitAsync(Func<bool> condition, int seconds)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await tick.WaitForNextTickAsync();
        }
        return condition();
    }
}
