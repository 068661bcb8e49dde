using BackupPanel.Core.Security;
using Hangfire;

namespace BackupPanel.Endpoints;

internal static class JobsDashboardEndpoints
{
    /// <summary>The Hangfire dashboard at /hangfire, Admins only (the endpoint policy decides; Hangfire's own filter is off).</summary>
    public static void MapJobsDashboard(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AppPath = "/",
            DashboardTitle = "BackupPanel jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Policies.Admin);
}
