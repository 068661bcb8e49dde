using System.Diagnostics;
using System.Text;
using BackupPanel.Hosting;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>The built panel run as its own process (`dotnet BackupPanel.dll`), as `make run` runs it.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the app with <paramref name="environment"/> added (use "" to clear a variable).</summary>
    public static AppProcess Start(IDictionary<string, string> environment)
    {
        var baseUrl = $"http://127.0.0.1:{EmbeddedPostgres.FreePort()}";
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(TestPaths.RepositoryRoot, "BackupPanel"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(TestPaths.WebAppDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(baseUrl);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // The suite's domains and destinations live in temporary folders: allowed on top of the defaults.
        psi.Environment["BackupPanel__AllowedRoots__Data__0"] = TestPaths.AllowedTestRoot;
        psi.Environment["BackupPanel__AllowedRoots__Destinations__0"] = TestPaths.AllowedTestRoot;
        psi.Environment["BackupPanel__AllowedRoots__PrivateAddresses__0"] = "127.0.0.1"; // the suite's webhook and ping listeners
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return new AppProcess(Process.Start(psi)!, baseUrl);
    }

    /// <summary>Waits until GET <paramref name="path"/> answers 200, the process exits, or the timeout passes.</summary>
    public Task<bool> WaitReadyAsync(string path = "/readyz", int timeoutSeconds = 90) =>
        WaitUntilAsync(path, _ => true, timeoutSeconds);

    /// <summary>Polls GET <paramref name="path"/> until it answers 200 with a body that satisfies <paramref name="condition"/>.</summary>
    public async Task<bool> WaitUntilAsync(string path, Func<string, bool> condition, int timeoutSeconds = 90)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                var response = await http.GetAsync(BaseUrl + path);
                if (response.IsSuccessStatusCode && condition(await response.Content.ReadAsStringAsync())) return true;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.WhenAny(_process.WaitForExitAsync(), tick.WaitForNextTickAsync().AsTask());
        }
        return false;
    }

    public async Task<bool> WaitForExitAsync(int timeoutSeconds)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, as systemd or Ctrl+C would stop it; then waits for a clean exit.</summary>
    public async Task<bool> StopGracefullyAsync(int timeoutSeconds = 30)
    {
        if (_process.HasExited) return true;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        return await WaitForExitAsync(timeoutSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && !await StopGracefullyAsync()) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
