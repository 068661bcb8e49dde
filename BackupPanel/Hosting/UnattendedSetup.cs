using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;

namespace BackupPanel.Hosting;

/// <summary>
/// Creates the first Admin from <c>BACKUPPANEL_ADMIN_EMAIL</c> / <c>BACKUPPANEL_ADMIN_PASSWORD</c> when no user
/// exists yet, for unattended installs. Does nothing once a user exists.
/// </summary>
internal static class UnattendedSetup
{
    public static async Task RunAsync(IServiceProvider services, IConfiguration config, ILogger logger)
    {
        var email = config["BACKUPPANEL_ADMIN_EMAIL"];
        var password = config["BACKUPPANEL_ADMIN_PASSWORD"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)) return;
        var firstRun = services.GetRequiredService<FirstRunService>();
        if (await firstRun.HasUsersAsync()) return;
        var result = await firstRun.CreateFirstAdminAsync(email, password, AuditActor.System);
        if (!result.Succeeded)
            throw new StartupException($"BACKUPPANEL_ADMIN_EMAIL/BACKUPPANEL_ADMIN_PASSWORD were given but the Admin could not be created: {result.ErrorText}");
        logger.LogInformation("Created the first Admin {Email} from the environment.", email);
    }
}
