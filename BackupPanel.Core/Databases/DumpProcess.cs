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

    /// <summary>
    /// A dump: the tool's output streamed into <paramref name="output"/>; when it sends nothing for
    /// <paramref name="stallTimeout"/>, it is killed and the run fails saying so (a stopped or locked server).
    /// </summary>
    public static async Task DumpAsync(string tool, IEnumerable<string> args, IDictionary<string, string> environment, Stream output, TimeSpan stallTimeout, CancellationToken ct)
    {
        using var stall = new StallWatch(stallTimeout, ct);
        try
        {
            await RunAsync(tool, args, environment, null, new ProgressStream(output, stall.Progress), stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stall.Stalled && !ct.IsCancellationRequested)
        {
            throw new RunFailedException($"{Path.GetFileName(tool)} sent nothing for {Minutes(stallTimeout)}: the database server does not answer "
                + "(stopped, locked or overloaded). The dump was stopped so that the domain is free; check the server and run the backup again.");
        }
    }

    private static string Minutes(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} minute(s)" : $"{t.TotalSeconds:0} second(s)";

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

    /// <summary>Cancels its token when <see cref="Progress"/> has not been called for the timeout.</summary>
    private sealed class StallWatch : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private readonly TimeSpan _timeout;
        private readonly Timer _timer;
        private long _lastProgress = Environment.TickCount64;

        public StallWatch(TimeSpan timeout, CancellationToken outer)
        {
            _timeout = timeout;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
            var every = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 100, 10_000));
            _timer = new Timer(_ => Check(), null, every, every);
        }

        public CancellationToken Token => _cts.Token;

        public bool Stalled { get; private set; }

        public void Progress() => Interlocked.Exchange(ref _lastProgress, Environment.TickCount64);

        public void Dispose()
        {
            _timer.Dispose();
            _cts.Dispose();
        }

        private void Check()
        {
            if (Environment.TickCount64 - Interlocked.Read(ref _lastProgress) < _timeout.TotalMilliseconds || Stalled)
            {
                return;
            }

            Stalled = true;
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the dump ended meanwhile
            }
        }
    }

    /// <summary>Passes writes through and reports each one.</summary>
    private sealed class ProgressStream(Stream inner, Action progress) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            progress();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            progress(); // bytes arrived from the tool: that is what counts, even if the consumer is slow
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
