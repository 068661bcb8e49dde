using System.Diagnostics;
using System.Net.Sockets;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A test server run in the foreground as a child process (sshd -D, vsftpd, s3rver): started, waited for until its
/// port accepts connections, killed with its children (sessions forked from it) — and started again, for outage tests.
/// </summary>
public sealed class ServerProcess(string name, int port, ProcessStartInfo start) : IDisposable
{
    private readonly System.Text.StringBuilder _output = new();
    private Process? _process;

    public int Port => port;

    /// <summary>What the server printed (for failure messages).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public async Task StartAsync()
    {
        _process?.Dispose();
        start.UseShellExecute = false;
        start.RedirectStandardOutput = start.RedirectStandardError = start.RedirectStandardInput = true;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Poll.UntilAsync(() => _process.HasExited ? throw new InvalidOperationException($"{name} exited: {Output}") : Accepts(), $"{name} to listen on {port}", 30, 20);
    }

    /// <summary>Kills the server and every session it forked (an outage, as when the machine goes away).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _process = null;
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
