using BackupPanel.Core.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>Imports of cPanel, Virtualmin and Plesk archives: inspecting, previewing, importing.</summary>
    public static IServiceCollection AddBackupPanelImport(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArchiveInspector>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<ImportInspection>();
        services.AddSingleton<ImportRunner>();
        services.AddSingleton<DomainImport>();
        services.AddTransient<ImportArchiveJob>();
        services.AddSingleton<IInterruptedRuns, InterruptedImports>();
        return services;
    }
}
