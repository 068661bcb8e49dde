using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BackupPanel.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's binaries (<c>/usr/lib/postgresql/*/bin</c>), listening on
/// loopback only. As root the tools run as the <c>postgres</c> user via <c>runuser</c>. A server left running by a
/// crashed process is reused; <see cref="StopAsync"/> stops it.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private readonly bool _throwaway;
    private bool _stopped;

    private EmbeddedPostgres(string dir, int port, string binDir, bool throwaway)
    {
        Directory = dir;
        Port = port;
        BinDir = binDir;
        _throwaway = throwaway;
    }

    /// <summary>The cluster directory: <c>data/</c>, <c>server.log</c> and the unix socket live here.</summary>
    public string Directory { get; }

    public int Port { get; }

    public string BinDir { get; }

    /// <summary>Trust authentication over loopback; the cluster is reachable only from this machine.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public string DataDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "server.log");

    internal static bool IsRoot => Environment.UserName == "root";

    /// <summary>Newest PostgreSQL bin directory, or <c>PG_BIN</c>; null when PostgreSQL is not installed.</summary>
    public static string? FindBinDir(string searchRoot = "/usr/lib/postgresql")
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured) return HasTools(configured) ? configured : null;
        if (!System.IO.Directory.Exists(searchRoot)) return null;
        return System.IO.Directory.GetDirectories(searchRoot)
            .Select(d => Path.Combine(d, "bin"))
            .Where(HasTools)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static bool HasTools(string bin) => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"));

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts (or reuses) the cluster in <paramref name="dir"/>. <paramref name="throwaway"/> clusters turn durability
    /// off and are deleted when stopped (tests); persistent ones run initdb only the first time.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(
        string dir, int port = 0, bool throwaway = false, string searchRoot = "/usr/lib/postgresql", CancellationToken ct = default)
    {
        var bin = FindBinDir(searchRoot) ?? throw new StartupException(
            $"PostgreSQL server binaries were not found under {searchRoot}/*/bin. Install them " +
            "(`sudo apt-get install postgresql`, or run `make run`, which does), or set ConnectionStrings:BackupPanel " +
            "to use an existing PostgreSQL server.");
        dir = Path.GetFullPath(dir);
        if (dir.Length > 80)
            throw new StartupException($"The database directory path '{dir}' is too long for PostgreSQL's socket (keep it under 80 characters); set BackupPanel:DataDirectory.");
        PrepareDirectory(dir);
        if (IsRoot) await ExecAsync("chown", ["-R", "postgres:postgres", dir], ct);
        var pg = new EmbeddedPostgres(dir, 0, bin, throwaway);
        if (await pg.TryReuseRunningAsync(ct) is { } running) return running;

        pg = new EmbeddedPostgres(dir, port == 0 ? FreePort() : port, bin, throwaway);
        if (!File.Exists(Path.Combine(pg.DataDirectory, "PG_VERSION")))
            await pg.PgAsync("initdb", ["-D", pg.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], ct);
        var opts = $"-p {pg.Port} -k {dir} -c listen_addresses=127.0.0.1";
        if (throwaway) opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        try
        {
            await pg.PgAsync("pg_ctl", ["-D", pg.DataDirectory, "-l", pg.LogFile, "-w", "-t", "60", "-o", opts, "start"], ct);
        }
        catch (StartupException ex)
        {
            throw new StartupException($"{ex.Message} Last lines of {pg.LogFile}: {Tail(pg.LogFile)}", ex);
        }
        return pg;
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", _throwaway ? "immediate" : "fast", "-w", "stop"], CancellationToken.None);
        }
        finally
        {
            if (_throwaway) TryDelete(Directory);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<EmbeddedPostgres?> TryReuseRunningAsync(CancellationToken ct)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        bool running;
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "status"], ct);
            running = true;
        }
        catch (StartupException)
        {
            running = false; // a stale pid file from a crash; pg_ctl start removes it
        }
        var lines = running && File.Exists(pidFile) ? await File.ReadAllLinesAsync(pidFile, ct) : [];
        return lines.Length > 3 && int.TryParse(lines[3], out var livePort)
            ? new EmbeddedPostgres(Directory, livePort, BinDir, _throwaway)
            : null;
    }

    private static void PrepareDirectory(string dir)
    {
        System.IO.Directory.CreateDirectory(dir);
        if (!IsRoot || OperatingSystem.IsWindows()) return;
        // The postgres user must reach the directory: every parent needs o+x (a 0700 home does not work).
        for (var p = Path.GetDirectoryName(dir); !string.IsNullOrEmpty(p) && p != "/"; p = Path.GetDirectoryName(p))
        {
            var mode = File.GetUnixFileMode(p);
            if ((mode & UnixFileMode.OtherExecute) == 0)
                throw new StartupException($"The postgres user cannot enter '{p}' (mode {Convert.ToString((int)mode, 8)}). Put BackupPanel:DataDirectory elsewhere, e.g. under /var/lib.");
        }
    }

    /// <summary>initdb and postgres refuse to run as root, so as root they run as the postgres user.</summary>
    private Task PgAsync(string tool, string[] args, CancellationToken ct)
    {
        var exe = Path.Combine(BinDir, tool);
        return IsRoot ? ExecAsync("runuser", ["-u", "postgres", "--", exe, .. args], ct) : ExecAsync(exe, args, ct);
    }

    private static async Task ExecAsync(string exe, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new StartupException($"Could not run {exe}.");
        // pg_ctl -l sends the server's own output to the log file, so these pipes close when pg_ctl exits.
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new StartupException($"{Path.GetFileName(exe)} {string.Join(' ', args.Take(3))}… failed (exit {p.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}".TrimEnd());
    }

    private static string Tail(string file)
    {
        try
        {
            return File.Exists(file) ? string.Join(" | ", File.ReadLines(file).TakeLast(5)) : "(no log)";
        }
        catch (IOException)
        {
            return "(log unreadable)";
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A throwaway cluster left on /tmp is harmless; the next run uses a new directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
