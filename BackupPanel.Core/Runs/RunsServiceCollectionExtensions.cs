using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Runs;

public static class RunsServiceCollectionExtensions
{
    /// <summary>Runs: what every kind of run shares (lifecycle, events, the sweeper of interrupted runs).</summary>
    public static IServiceCollection AddBackupPanelRuns(this IServiceCollection services)
    {
        services.AddSingleton<RunLifecycle>();
        services.AddSingleton<RunEvents>();
        services.AddSingleton<InterruptedRunSweeper>();
        return services;
    }
}
