using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BackupPanel.Core.Health;

/// <summary>Ready when the database and the Hangfire storage both answer.</summary>
public sealed class ReadinessHealthCheck(SystemStatusService status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = await status.GetAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["database"] = s.DatabaseOk ? "ok" : "unreachable",
            ["jobStorage"] = s.JobsOk ? "ok" : "unreachable",
            ["jobServers"] = s.JobServers.Count,
            ["version"] = s.Version,
        };
        return s.Problem is null ? HealthCheckResult.Healthy("ready", data) : HealthCheckResult.Unhealthy(s.Problem, data: data);
    }
}
