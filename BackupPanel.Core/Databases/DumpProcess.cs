using System.Diagnostics;
using System.Text;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Databases;

/// <summary>
/// Runs a dump tool and streams its standard output. Secrets go in through the environment or a 0600 file, never
/// the argument list (which any local user can read in /proc). A tool that exits non-zero fails with the end of
/// what it wrote to standard error; cancelling kills it.
/// </summary>
internal static class DumpProcess
{
    private const int MaxErrorChars = 2000;

    public static Task RunAsync(string tool, IEnumerable<string> args, IDictionary<string, string> environment, Stream output, CancellationToken ct) =>
        RunAsync(tool, args, environment, null, output, ct);

    /// <summary>Runs the tool with <paramref name="input"/> (when given) on its standard input, e.g. a restore.</summary>
    public static async Task RunAsync(string tool, IEnumerable<string> args, IDictionary<string, string> environment, Stream? input, Stream output, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new RunFailedException($"{Path.GetFileName(tool)} could not be started.");
        var errors = ReadErrorsAsync(process.StandardError);
        var feed = input is null ? Task.CompletedTask : FeedAsync(input, process.StandardInput.BaseStream, ct);
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, 1 << 20, ct).ConfigureAwait(false);
            await feed.ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        catch (IOException) when (!process.HasExited)
        {
            // The consumer failed (destination full, …): stop the tool rather than leave it blocked on a full pipe.
            process.Kill(entireProcessTree: true);
            throw;
        }

        var message = await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new RunFailedException($"{Path.GetFileName(tool)} failed (exit code {process.ExitCode}): {message}".TrimEnd(' ', ':'));
        }
    }

    private static async Task FeedAsync(Stream input, Stream stdin, CancellationToken ct)
    {
        try
        {
            await input.CopyToAsync(stdin, 1 << 20, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The tool stopped reading (it failed); its exit code and messages say why.
        }
        finally
        {
            await stdin.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<string> ReadErrorsAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            tail.Append(line.Trim()).Append(' ');
            if (tail.Length > MaxErrorChars)
            {
                tail.Remove(0, tail.Length - MaxErrorChars);
            }
        }

        return tail.ToString().Trim();
    }
}
