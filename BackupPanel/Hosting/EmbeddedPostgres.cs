using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BackupPanel.Hosting;

// Over STYLE.md's 300 lines (369): the private-cluster pieces (initdb with a password, pg_hba, closing an older
// cluster, attaching) are to move to EmbeddedPostgres.Private.cs as a partial class in the next change.
/// <summary>
/// A PostgreSQL cluster run from the machine's binaries (<c>/usr/lib/postgresql/*/bin</c>). As root the tools run as
/// the <c>postgres</c> user via <c>runuser</c>. The panel's own cluster is private: no TCP listener, its socket in a
/// 0700 folder, every role by password (scram-sha-256); a cluster made by an older version (trust, loopback TCP) is
/// closed in place at start. The suite's throwaway clusters, which stand in for a domain's database server, listen on
/// loopback with trust instead (<see cref="StartAsync(string, int, bool, string, CancellationToken)"/>). A server left running by a crashed
/// process is reused; <see cref="StopAsync"/> stops it.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    /// <summary>The first line of the pg_hba.conf the panel writes; a cluster without it is from an older version.</summary>
    internal const string HbaHeader = "# Written by BackupPanel: the unix socket only (in a 0700 folder), every role by password.";

    private readonly bool _throwaway;
    private readonly string? _superuserPassword;
    private bool _stopped;

    private EmbeddedPostgres(string dir, int port, string binDir, bool throwaway, string? superuserPassword)
    {
        Directory = dir;
        Port = port;
        BinDir = binDir;
        _throwaway = throwaway;
        _superuserPassword = superuserPassword;
    }

    /// <summary>The cluster directory: <c>data/</c>, <c>server.log</c> and the unix socket live here.</summary>
    public string Directory { get; }

    public int Port { get; }

    public string BinDir { get; }

    /// <summary>False for a process that attached to a cluster another process owns: it never stops it.</summary>
    public bool OwnsServer { get; private init; } = true;

    /// <summary>What makes this process the owner (the data folder's lock); released when the cluster stops.</summary>
    internal IDisposable? OwnerLock { get; set; }

    /// <summary>True when this start closed a cluster made by an older version (trust and TCP before).</summary>
    public bool Upgraded { get; private set; }

    /// <summary>Where the unix socket is: a 0700 folder of the cluster's user for a private cluster.</summary>
    public string SocketDirectory => _superuserPassword is null ? Directory : Path.Combine(Directory, "socket");

    /// <summary>
    /// The superuser's connection: by the socket with the password for a private cluster; by loopback TCP with trust
    /// for the suite's clusters.
    /// </summary>
    public string ConnectionString => _superuserPassword is null
        ? $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres"
        : new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory, Port = Port, Username = "postgres", Password = _superuserPassword, Database = "postgres",
        }.ConnectionString;

    /// <summary>A connection to <paramref name="database"/> as <paramref name="user"/> by the same way in.</summary>
    public string ConnectionStringFor(string user, string password, string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Username = user, Password = password, Database = database }.ConnectionString;

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
    /// Starts (or reuses) the suite's kind of cluster in <paramref name="dir"/>: loopback TCP, trust.
    /// <paramref name="throwaway"/> clusters turn durability off and are deleted when stopped.
    /// </summary>
    public static Task<EmbeddedPostgres> StartAsync(
        string dir, int port = 0, bool throwaway = false, string searchRoot = "/usr/lib/postgresql", CancellationToken ct = default) =>
        StartAsync(dir, superuserPassword: null, port, throwaway, searchRoot, ct);

    /// <summary>
    /// Starts (or reuses) a private cluster in <paramref name="dir"/> whose superuser has
    /// <paramref name="superuserPassword"/>; runs initdb only the first time, and closes an older version's cluster.
    /// </summary>
    public static Task<EmbeddedPostgres> StartPrivateAsync(string dir, string superuserPassword, int port = 0, CancellationToken ct = default) =>
        StartAsync(dir, superuserPassword, port, throwaway: false, "/usr/lib/postgresql", ct);

    private static async Task<EmbeddedPostgres> StartAsync(
        string dir, string? superuserPassword, int port, bool throwaway, string searchRoot, CancellationToken ct)
    {
        var bin = FindBinDir(searchRoot) ?? throw new StartupException(
            $"PostgreSQL server binaries were not found under {searchRoot}/*/bin. Install them " +
            "(`sudo apt-get install postgresql`, or run `make run`, which does), or set ConnectionStrings:BackupPanel " +
            "to use an existing PostgreSQL server.");
        dir = Path.GetFullPath(dir);
        if (dir.Length > 80)
            throw new StartupException($"The database directory path '{dir}' is too long for PostgreSQL's socket (keep it under 80 characters); set BackupPanel:DataDirectory.");
        PrepareDirectory(dir);
        var probe = new EmbeddedPostgres(dir, 0, bin, throwaway, superuserPassword);
        if (superuserPassword is not null) System.IO.Directory.CreateDirectory(probe.SocketDirectory);
        if (IsRoot) await ExecAsync("chown", ["-R", "postgres:postgres", dir], ct);
        if (superuserPassword is not null)
        {
            // The cluster's folder and its socket folder: the cluster's user alone (root passes anyway).
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(probe.SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (await probe.TryReuseRunningAsync(ct) is { } running) return running;

        var pg = new EmbeddedPostgres(dir, port == 0 ? FreePort() : port, bin, throwaway, superuserPassword);
        var fresh = !File.Exists(Path.Combine(pg.DataDirectory, "PG_VERSION"));
        if (fresh) await pg.InitDbAsync(ct);
        var opts = superuserPassword is null
            ? $"-p {pg.Port} -k {dir} -c listen_addresses=127.0.0.1"
            : $"-p {pg.Port} -k {pg.SocketDirectory} -c listen_addresses='' -c unix_socket_permissions=0700 -c password_encryption=scram-sha-256";
        if (throwaway) opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var closeAfterStart = superuserPassword is not null && !fresh && !await pg.HasPrivateHbaAsync(ct);
        if (closeAfterStart)
        {
            // An older version's cluster (trust): only root and postgres can enter the 0700 socket folder while the
            // superuser gets its password; then every line is scram-sha-256.
            await pg.WriteHbaAsync("local all postgres trust", ct);
        }

        await pg.PgCtlStartAsync(opts, ct);
        if (closeAfterStart)
        {
            await pg.SetSuperuserPasswordAndCloseAsync(ct);
            pg.Upgraded = true;
        }
        return pg;
    }

    /// <summary>
    /// Uses the private cluster another process owns and runs, without ever stopping it (a worker node on the same data
    /// folder). Fails when it does not run.
    /// </summary>
    public static async Task<EmbeddedPostgres> AttachAsync(string dir, string superuserPassword, CancellationToken ct = default)
    {
        var bin = FindBinDir() ?? throw new StartupException("PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin.");
        var probe = new EmbeddedPostgres(Path.GetFullPath(dir), 0, bin, false, superuserPassword);
        var pidFile = Path.Combine(probe.DataDirectory, "postmaster.pid");
        var lines = File.Exists(pidFile) ? await File.ReadAllLinesAsync(pidFile, ct) : [];
        if (lines.Length > 5 && int.TryParse(lines[3], out var port) && lines[4] == probe.SocketDirectory && lines[5].Length == 0)
            return new EmbeddedPostgres(probe.Directory, port, bin, false, superuserPassword) { OwnsServer = false };
        throw new StartupException($"The embedded database in {dir} is not running. Start the panel that owns this data folder first.");
    }

    /// <summary>Starts the stopped server again with the options it had (the supervisor, after the server died).</summary>
    internal Task RestartAsync(CancellationToken ct)
    {
        var opts = $"-p {Port} -k {SocketDirectory} -c listen_addresses='' -c unix_socket_permissions=0700 -c password_encryption=scram-sha-256";
        return PgCtlStartAsync(opts, ct);
    }

    /// <summary>The postmaster's process id from its pid file, or null when none is recorded.</summary>
    internal int? ServerProcessId()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task PgCtlStartAsync(string opts, CancellationToken ct)
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", opts, "start"], ct);
        }
        catch (StartupException ex)
        {
            throw new StartupException($"{ex.Message} Last lines of {LogFile}: {Tail(LogFile)}", ex);
        }
    }

    private async Task InitDbAsync(CancellationToken ct)
    {
        if (_superuserPassword is null)
        {
            await PgAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], ct);
            return;
        }

        // The password reaches initdb in a file only the cluster's user reads, removed at once.
        var pwfile = Path.Combine(Directory, ".initdb-pw");
        File.Delete(pwfile); // one an interrupted first start left
        await using (var file = new FileStream(pwfile, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync(_superuserPassword);
        }
        if (IsRoot) await ExecAsync("chown", ["postgres:postgres", pwfile], ct);
        try
        {
            await PgAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                $"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], ct);
        }
        finally
        {
            File.Delete(pwfile);
        }
        await WriteHbaAsync("local all all scram-sha-256", ct);
    }

    private async Task<bool> HasPrivateHbaAsync(CancellationToken ct)
    {
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        return File.Exists(hba) && (await File.ReadAllLinesAsync(hba, ct)).FirstOrDefault() == HbaHeader;
    }

    private async Task WriteHbaAsync(string rule, CancellationToken ct)
    {
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        await File.WriteAllTextAsync(hba, $"{HbaHeader}\n{rule}\n", ct);
        if (IsRoot) await ExecAsync("chown", ["postgres:postgres", hba], ct);
    }

    private async Task SetSuperuserPasswordAndCloseAsync(CancellationToken ct)
    {
        var trusted = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null, Pooling = false }.ConnectionString;
        await using (var conn = new Npgsql.NpgsqlConnection(trusted))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new Npgsql.NpgsqlCommand($"SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres PASSWORD {Quote(_superuserPassword!)}", conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await WriteHbaAsync("local all all scram-sha-256", ct);
        await using var admin = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync(ct);
        await using var reload = new Npgsql.NpgsqlCommand("SELECT pg_reload_conf()", admin);
        await reload.ExecuteScalarAsync(ct);
    }

    /// <summary>A string literal for SQL that takes no parameters (ALTER ROLE … PASSWORD).</summary>
    internal static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public async Task StopAsync()
    {
        if (_stopped || !OwnsServer) return;
        _stopped = true;
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", _throwaway ? "immediate" : "fast", "-w", "stop"], CancellationToken.None);
        }
        finally
        {
            OwnerLock?.Dispose();
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
        if (lines.Length <= 3 || !int.TryParse(lines[3], out var livePort)) return null;
        // pid file: pid, data dir, start time, port, socket dir, listen address. An older version's server (TCP,
        // socket beside the data) or one without its password rules is stopped and started again closed.
        var closed = _superuserPassword is null
            || (lines.Length > 5 && lines[4] == SocketDirectory && lines[5].Length == 0 && await HasPrivateHbaAsync(ct));
        if (closed) return new EmbeddedPostgres(Directory, livePort, BinDir, _throwaway, _superuserPassword);
        await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], ct);
        return null;
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
