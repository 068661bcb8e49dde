using BackupPanel.Core.Backups;
using BackupPanel.Core.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BackupPanel.Core.Plans;

public static class PlansServiceCollectionExtensions
{
    /// <summary>Plans: what runs when, kept in Hangfire's recurring jobs.</summary>
    public static IServiceCollection AddBackupPanelPlans(this IServiceCollection services)
    {
        services.AddOptions<PlanRunnerOptions>().BindConfiguration(PlanRunnerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PlanRunnerOptions>>().Value);
        services.AddSingleton<PlanService>();
        services.AddSingleton<PlanScheduler>();
        services.AddSingleton<PlanRunner>();
        services.AddTransient<RunPlanJob>();
        services.AddSingleton<IBackupRunOptions, PlanBackupOptions>();
        services.AddSingleton<IPlanRoutes, PlanRoutes>();
        return services;
    }
}
