using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Encryption;

public static class EncryptionServiceCollectionExtensions
{
    /// <summary>Encryption: the panel's age key pair, Admins' extra keys, the recovery kit.</summary>
    public static IServiceCollection AddBackupPanelEncryption(this IServiceCollection services)
    {
        services.AddSingleton<EncryptionService>();
        return services;
    }
}
