using System.Diagnostics;
using BackupPanel.Core.Archive;
using BackupPanel.Hosting;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A private MariaDB server for the suite (Debian's mariadb-server, which make test installs): its own data folder under /tmp, 127.0.0.1 and a free port,
/// run as the mysql user when root, stopped by PID at the end. Root has no password on its socket.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime, IDisposable
{
    private string _dir = "";
    private Process? _server;

    public int Port { get; private set; }

    public string Socket => Path.Combine(_dir, "sock");

    public async Task InitializeAsync()
    {
        _dir = TestPaths.NewTempDir("mdb");
        Port = EmbeddedPostgres.FreePort();
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        var asUser = UnixFile.IsRoot ? new[] { "runuser", "-u", "mysql", "--" } : [];
        if (UnixFile.IsRoot)
        {
            (await Shell.RunAsync("chown", ["mysql:", _dir])).EnsureSuccess("chown");
        }

        (await Shell.RunAsync(asUser.Length > 0 ? asUser[0] : "mariadb-install-db",
            [.. asUser.Skip(1), .. asUser.Length > 0 ? ["mariadb-install-db"] : Array.Empty<string>(), "--no-defaults", $"--datadir={_dir}/data",
             "--auth-root-authentication-method=normal", "--skip-test-db"])).EnsureSuccess("mariadb-install-db");
        var psi = new ProcessStartInfo(asUser.Length > 0 ? asUser[0] : "/usr/sbin/mariadbd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in asUser.Skip(1)) psi.ArgumentList.Add(a);
        if (asUser.Length > 0) psi.ArgumentList.Add("/usr/sbin/mariadbd");
        foreach (var a in new[] { "--no-defaults", $"--datadir={_dir}/data", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
                     $"--pid-file={_dir}/pid", "--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0" })
        {
            psi.ArgumentList.Add(a);
        }

        // mariadbd logs to stderr without --log-error; "ready for connections" is the signal to wait for.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        _server = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _server.ErrorDataReceived += (_, e) =>
        {
            lock (log) log.AppendLine(e.Data);
            if (e.Data?.Contains("ready for connections", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        _server.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("mariadbd exited: " + log));
        _server.Start();
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs SQL as root over the socket.</summary>
    public async Task ExecAsync(string sql) =>
        (await Shell.RunAsync("mariadb", [$"--socket={Socket}", "-uroot", "-e", sql])).EnsureSuccess("mariadb " + sql);

    /// <summary>A database and a user with a password that may use it from 127.0.0.1.</summary>
    public async Task CreateDatabaseAsync(string database, string user, string password) =>
        await ExecAsync($"CREATE DATABASE `{database}`; CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; GRANT ALL ON `{database}`.* TO '{user}'@'127.0.0.1';");

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    public void Dispose() => _server?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollectionDefinition : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "mariadb";
}
