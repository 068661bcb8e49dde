using System.Diagnostics;

namespace BackupPanel.Cli;

/// <summary>Progress on stderr, at most once a second, and the rate at the end.</summary>
internal sealed class ProgressPrinter(TextWriter error, string what)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;
    private long _lastPrint;

    public void Report(long bytes)
    {
        _bytes = bytes;
        if (_clock.ElapsedMilliseconds - _lastPrint >= 1000)
        {
            _lastPrint = _clock.ElapsedMilliseconds;
            error.WriteLine($"{what}: {bytes / 1048576.0:N1} MiB, {Rate()}");
        }
    }

    public string Summary() => $"{_clock.Elapsed.TotalSeconds:N1} s, {Rate()}";

    private string Rate() => $"{_bytes / 1e6 / Math.Max(_clock.Elapsed.TotalSeconds, 0.001):N0} MB/s";
}
