using Npgsql;

namespace BackupPanel.Hosting;

/// <summary>
/// Watches the embedded cluster this process owns and starts it again when its server has died (killed, out of
/// memory): up to <see cref="MaxAttempts"/> tries in a row, each logged, then it gives up and says so. Pools are
/// cleared after a restart so that the next request does not meet a dead connection.
/// </summary>
internal sealed class EmbeddedPostgresSupervisor(EmbeddedPostgres cluster, ILogger<EmbeddedPostgresSupervisor> log) : BackgroundService
{
    public const int MaxAttempts = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var failures = 0;
        while (await tick.WaitForNextTickAsync(stoppingToken))
        {
            if (IsAlive(cluster.ServerProcessId())) continue;
            if (failures >= MaxAttempts) continue; // given up, said so once below
            log.LogError("The embedded database in {Directory} is not running; starting it again (attempt {Attempt} of {Max}).",
                cluster.Directory, failures + 1, MaxAttempts);
            try
            {
                await cluster.RestartAsync(stoppingToken);
                NpgsqlConnection.ClearAllPools();
                failures = 0;
                log.LogWarning("The embedded database in {Directory} runs again.", cluster.Directory);
            }
            catch (StartupException ex)
            {
                failures++;
                log.LogError("Could not start the embedded database: {Reason}", ex.Message);
                if (failures >= MaxAttempts)
                {
                    log.LogCritical("Gave up starting the embedded database after {Max} attempts; restart the panel once the cause in {Log} is fixed.",
                        MaxAttempts, cluster.LogFile);
                }
            }
        }
    }

    /// <summary>The postmaster is alive when its process exists and is not a zombie.</summary>
    private static bool IsAlive(int? pid)
    {
        if (pid is null) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
