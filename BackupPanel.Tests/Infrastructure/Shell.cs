using System.Diagnostics;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>Runs the standard tools (age, zstd, tar, pg_restore, mariadb) the interop tests compare against.</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result EnsureSuccess(string what) => ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed ({ExitCode}): {Error}{Output}");
    }

    /// <summary>Runs a bash pipeline with pipefail (so `a | b` fails when a fails).</summary>
    public static Task<Result> BashAsync(string script, IDictionary<string, string>? environment = null, int timeoutSeconds = 120) =>
        RunAsync("bash", ["-c", "set -euo pipefail; " + script], environment, timeoutSeconds);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeoutSeconds} s");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs the built panel executable with arguments (the `archive` verbs).</summary>
    public static Task<Result> PanelAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        RunAsync("dotnet", [TestPaths.WebAppDll, .. args], environment, 300);
}
