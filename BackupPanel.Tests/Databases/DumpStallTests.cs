using System.Diagnostics;
using System.Globalization;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Runs;
using BackupPanel.Hosting;
using BackupPanel.Tests.Infrastructure;
using Npgsql;

namespace BackupPanel.Tests.Databases;

/// <summary>
/// A database server frozen in the middle of a dump (every PostgreSQL process SIGSTOPped): the dump fails after the
/// stall timeout, says why, and leaves no pg_dump behind. Found: the run stayed "Running" for as long as anyone
/// watched, holding the domain's lock. Its own cluster: freezing the suite's would freeze other tests.
/// </summary>
public sealed class DumpStallTests
{
    [Fact]
    public async Task ServerStoppedMidDump_FailsAfterTheStallTimeout_NamingTheCause()
    {
        var cluster = await EmbeddedPostgres.StartAsync(TestPaths.NewTempDir("stall"), throwaway: true);
        var postmaster = int.Parse((await File.ReadAllLinesAsync(Path.Combine(cluster.DataDirectory, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
        try
        {
            await ExecAsync(cluster.ConnectionString, "CREATE DATABASE frozen");
            var db = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "frozen" }.ConnectionString;
            await ExecAsync(db, "CREATE TABLE t AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 200000) g");
            var connection = new DatabaseConnection(DatabaseEngine.PostgreSql, "127.0.0.1", cluster.Port, "frozen", "postgres", null) { StallTimeout = TimeSpan.FromSeconds(3) };
            var output = new FreezeOnFirstWrite(() => Signal("-STOP", postmaster));

            var watch = Stopwatch.StartNew();
            var failed = await Assert.ThrowsAsync<RunFailedException>(() => PostgreSqlSource.DumpAsync(connection, output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90)));
            watch.Stop();

            Assert.True(output.Froze, "the server was never frozen mid-dump");
            Assert.Contains("sent nothing for 3 second(s)", failed.Message, StringComparison.Ordinal);
            Assert.Contains("does not answer", failed.Message, StringComparison.Ordinal);
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60));
            Assert.Empty(PgDumpsOf(cluster.Port)); // killed, not left waiting on the frozen server
        }
        finally
        {
            Signal("-CONT", postmaster);
            await cluster.StopAsync();
        }
    }

    /// <summary>pg_dump processes connected to this cluster's port (other tests' dumps come and go meanwhile).</summary>
    private static List<string> PgDumpsOf(int port)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args[0].EndsWith("pg_dump", StringComparison.Ordinal) && args.Contains(port.ToString(CultureInfo.InvariantCulture)))
                {
                    found.Add(string.Join(' ', args));
                }
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Sends <paramref name="signal"/> to the postmaster and every backend of the cluster.</summary>
    private static void Signal(string signal, int postmaster)
    {
        using (var children = Process.Start("pkill", [signal, "-P", postmaster.ToString(CultureInfo.InvariantCulture)])) children.WaitForExit();
        using var parent = Process.Start("kill", [signal, postmaster.ToString(CultureInfo.InvariantCulture)]);
        parent.WaitForExit();
    }

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Takes the dump's bytes; at the first ones, freezes the server (the dump is under way by then).</summary>
    private sealed class FreezeOnFirstWrite(Action freeze) : Stream
    {
        public bool Froze { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Freeze();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Freeze();
            return ValueTask.CompletedTask;
        }

        private void Freeze()
        {
            if (Froze) return;
            Froze = true;
            freeze();
        }
    }
}
