using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Plans;

public static class PlansServiceCollectionExtensions
{
    /// <summary>Plans: what runs when, kept in Hangfire's recurring jobs.</summary>
    public static IServiceCollection AddBackupPanelPlans(this IServiceCollection services, TimeSpan catchUpWindow)
    {
        services.AddSingleton<PlanService>();
        services.AddSingleton<PlanScheduler>();
        services.AddSingleton(new PlanRunnerOptions(catchUpWindow));
        services.AddSingleton<PlanRunner>();
        services.AddTransient<RunPlanJob>();
        services.AddSingleton<Retention.RetentionService>();
        services.AddTransient<Retention.ApplyRetentionJob>();
        return services;
    }
}
