using BackupPanel.Components.Pages.Backups;
using BackupPanel.Components.Pages.Destinations;
using BackupPanel.Components.Pages.Import;
using BackupPanel.Components.Pages.Restore;
using MudBlazor.Services;

namespace BackupPanel.Circuit;

public static class CircuitServiceCollectionExtensions
{
    /// <summary>The pages: interactive server components, MudBlazor, and the services each circuit (one browser tab) gets.</summary>
    public static IServiceCollection AddBackupPanelWeb(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AuditActorAccessor>();
        services.AddScoped<PanelUser>();
        services.AddScoped<BackupActions>();
        services.AddScoped<BulkRestoreActions>();
        services.AddScoped<DestinationActions>();
        services.AddScoped<ImportActions>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }
}
