using BackupPanel.Core.Security.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackupPanel.Core.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Audit log, first-run setup and user administration.</summary>
    public static IServiceCollection AddBackupPanelSecurity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditService>();
        services.AddSingleton<FirstRunService>();
        services.AddSingleton<UserAdminService>();
        services.AddSingleton<UserPreferencesService>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<Paths.PathGuard>();
        services.AddSingleton<TwoFactor.TwoFactorPolicyService>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, TwoFactor.TwoFactorRequirementHandler>();
        return services;
    }
}
