using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Tests.Hosting;

/// <summary>
/// Several nodes on one database, proven: two workers and a web node; 20 backups of 5 domains queued at once; one
/// worker killed (SIGKILL) while it uploads. Every backup ends Succeeded exactly once, nothing half-written stays,
/// the audit log and the history agree, and the web node answers all along.
/// </summary>
public sealed class SeveralNodesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TwoWorkersAndAWebNode_AWorkerKilledMidUpload_EveryBackupSucceedsExactlyOnce()
    {
        var dir = TestPaths.NewTempDir("nodes");
        var dest = Path.Combine(dir, "dest");
        Directory.CreateDirectory(dest);
        var cs = await postgres.CreateDatabaseAsync("nodes");
        var shared = new Dictionary<string, string>
        {
            ["ConnectionStrings__BackupPanel"] = cs,
            ["BackupPanel__KeyRingKeyFile"] = Path.Combine(dir, "keyring.key"), // one key ring, so one key file on every node
            ["BackupPanel__WorkerCount"] = "2",
            ["BackupPanel__InterruptedRunSweepSeconds"] = "2",
        };

        await using var web = AppProcess.Start(Node(shared, "Web", dir));
        Assert.True(await web.WaitReadyAsync(), web.Output); // migrates the database first
        var workers = new[] { AppProcess.Start(Node(shared, "Worker", dir)), AppProcess.Start(Node(shared, "Worker", dir)) };
        try
        {
            foreach (var w in workers) Assert.True(await w.WaitUntilAsync("/readyz", b => b.Contains("\"jobServers\":", StringComparison.Ordinal)), w.Output);

            var destinationId = await OutsidePanel.AddLocalDestinationAsync(cs, dest);
            var domains = new List<Guid>();
            for (var d = 0; d < 5; d++)
            {
                var root = Path.Combine(dir, $"site{d}");
                Directory.CreateDirectory(root);
                // Domain 0 is big, so that a kill can land in the middle of one of its uploads; the others are small.
                var sizes = d == 0 ? new[] { 48 << 20, 48 << 20 } : [256 << 10];
                for (var f = 0; f < sizes.Length; f++) await File.WriteAllBytesAsync(Path.Combine(root, $"f{f}.bin"), RandomNumberGenerator.GetBytes(sizes[f]));
                domains.Add(await OutsidePanel.AddDomainAsync(cs, $"site{d}.example.com", root));
            }

            using var serving = new CancellationTokenSource();
            var webWatch = WatchAsync(web.BaseUrl, serving.Token);
            var queued = new List<Guid>();
            for (var i = 0; i < 20; i++) queued.Add(await OutsidePanel.QueueBackupAsync(cs, domains[i % 5], destinationId, asBackUpNow: true));

            // Kill the worker that is uploading a big backup, once more than 4 MB of it is written.
            await Poll.UntilAsync(() => Directory.Exists(Path.Combine(dest, ".partial"))
                && Directory.EnumerateFiles(Path.Combine(dest, ".partial")).Any(f => new FileInfo(f).Length > (4 << 20)), "a big upload to be under way", 120, 20);
            var victimPid = await ProcessOfRunningBigBackupAsync(cs, domains[0]);
            var victim = workers.Single(w => w.ProcessId == victimPid);
            using (var kill = Process.Start("kill", ["-KILL", victimPid.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            Assert.True(await victim.WaitForExitAsync(30));

            await Poll.UntilAsync(async () => (await StatusesAsync(cs)).All(s => s is BackupStatus.Succeeded or BackupStatus.Failed or BackupStatus.Cancelled),
                "every backup to end", 300, 200);
            await serving.CancelAsync();
            var (served, failures) = await webWatch;

            await using var db = OutsidePanel.Db(cs);
            var backups = await db.Backups.AsNoTracking().ToListAsync();
            Assert.Equal(20, backups.Count);
            Assert.All(backups, b => Assert.True(b.Status == BackupStatus.Succeeded, $"{b.DomainName}: {b.Status} {b.Error}\n{b.Log}"));
            Assert.Equal(queued.Order(), backups.Select(b => b.Id).Order());
            var requeued = backups.Where(b => b.Log.Contains(InterruptedBackups.RequeuedLine, StringComparison.Ordinal)).ToList();
            // What the killed worker was running (up to its two threads) ran again elsewhere, the big upload among them.
            Assert.InRange(requeued.Count, 1, 2);
            Assert.Contains(requeued, b => b.DomainId == domains[0]);

            // Exactly one complete folder per backup, named after it; no folder without a manifest, nothing partial.
            var manifests = Directory.EnumerateFiles(dest, ArchiveManifest.FileName, SearchOption.AllDirectories).ToList();
            Assert.Equal(20, manifests.Count);
            Assert.Equal(backups.Select(b => Path.Combine(dest, b.FolderKey!, ArchiveManifest.FileName)).Order(), manifests.Order());
            var folders = Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/.partial/", StringComparison.Ordinal)).Select(Path.GetDirectoryName).Distinct().ToList();
            Assert.Equal(20, folders.Count);
            Assert.Empty(Directory.Exists(Path.Combine(dest, ".partial")) ? Directory.EnumerateFiles(Path.Combine(dest, ".partial")) : []);

            // The audit log names each of the 20 once, and the chain is whole.
            var started = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.BackupStarted).ToListAsync();
            Assert.Equal(backups.Select(b => b.Id.ToString()).Order(),
                started.Select(e => e.Details!.Split(' ')[2]).Order());
            Assert.Null(await db.Database.SqlQueryRaw<long?>("SELECT audit_chain_first_break() AS \"Value\"").SingleAsync());

            Assert.True(served > 20, $"the web node was asked only {served} times");
            Assert.True(failures.Count == 0, "the web node failed: " + string.Join(" | ", failures));
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Node(Dictionary<string, string> shared, string role, string dir) =>
        new(shared) { ["BackupPanel__Role"] = role, ["BackupPanel__DataDirectory"] = Path.Combine(dir, $"node-{Guid.NewGuid():N}"[..14]) };

    /// <summary>The worker process running the big domain's backup: Hangfire records "host:pid:…" as the job's server.</summary>
    private static async Task<int> ProcessOfRunningBigBackupAsync(string cs, Guid bigDomain)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT s.data::jsonb ->> 'ServerId' FROM backups b
            JOIN hangfire.job j ON j.id = b."JobId"::bigint JOIN hangfire.state s ON s.id = j.stateid
            WHERE b."DomainId" = @d AND b."Status" = 'Running' AND s.name = 'Processing'
            """, conn);
        cmd.Parameters.AddWithValue("d", bigDomain);
        var server = (string?)await cmd.ExecuteScalarAsync() ?? throw new InvalidOperationException("no running backup of the big domain");
        return int.Parse(server.Split(':')[1], CultureInfo.InvariantCulture);
    }

    private static async Task<List<BackupStatus>> StatusesAsync(string cs)
    {
        await using var db = OutsidePanel.Db(cs);
        return await db.Backups.AsNoTracking().Select(b => b.Status).ToListAsync();
    }

    /// <summary>Asks the web node for its sign-in page and readiness every 200 ms until cancelled.</summary>
    private static async Task<(int Served, List<string> Failures)> WatchAsync(string baseUrl, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var (served, failures) = (0, new List<string>());
        try
        {
            while (await tick.WaitForNextTickAsync(stop))
            {
                foreach (var path in new[] { "/readyz", "/Account/Login" })
                {
                    try
                    {
                        using var response = await http.GetAsync(baseUrl + path, stop);
                        if (response.IsSuccessStatusCode || (int)response.StatusCode == 302) served++;
                        else failures.Add($"{path}: {(int)response.StatusCode}");
                    }
                    catch (HttpRequestException ex)
                    {
                        failures.Add($"{path}: {ex.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return (served, failures);
    }
}
