using System.Reflection;
using BackupPanel.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupPanel.Core.Health;

/// <summary>Probes the database and the Hangfire job storage; used by the dashboard and the readiness endpoint.</summary>
public sealed class SystemStatusService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, JobStorage jobs, NodeInfo node, ILogger<SystemStatusService> logger)
{
    public static string Version { get; } =
        typeof(SystemStatusService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public async Task<SystemStatus> GetAsync(CancellationToken ct = default)
    {
        var (dbOk, dbText) = await ProbeDatabaseAsync(ct).ConfigureAwait(false);
        var (jobsOk, servers) = ProbeJobs();
        var problem = !dbOk ? "The database does not answer." : !jobsOk ? "The job storage does not answer." : null;
        return new SystemStatus(Version, node.Role, dbOk, dbText, jobsOk, servers, problem);
    }

    private async Task<(bool, string)> ProbeDatabaseAsync(CancellationToken ct)
    {
        try
        {
            var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using var dbScope = db.ConfigureAwait(false);
            var version = await db.Database.SqlQuery<string>($"SELECT current_setting('server_version') AS \"Value\"").SingleAsync(ct).ConfigureAwait(false);
            return (true, $"PostgreSQL {version} ({(node.EmbeddedDatabase ? "embedded" : "external")})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message can name the host; it never holds the password (Npgsql does not echo it).
            logger.LogWarning("Database probe failed: {Message}", ex.Message);
            return (false, "unreachable");
        }
    }

    private (bool, IReadOnlyList<JobServerInfo>) ProbeJobs()
    {
        try
        {
            var servers = jobs.GetMonitoringApi().Servers()
                .Select(s => new JobServerInfo(s.Name, s.WorkersCount, s.Queues.ToList(),
                    s.Heartbeat is { } h ? new DateTimeOffset(DateTime.SpecifyKind(h, DateTimeKind.Utc)) : null))
                .ToList();
            return (true, servers);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Job storage probe failed: {Message}", ex.Message);
            return (false, []);
        }
    }
}

/// <summary>Facts about this process: its role (All, Web, Worker) and whether it runs the embedded database.</summary>
public sealed record NodeInfo(string Role, bool EmbeddedDatabase);
