using BackupPanel.Cli;
using BackupPanel.Hosting;

// The web host only composes; each piece lives in Hosting/, Circuit/, Cli/ and the Core feature folders.
if (await CommandLine.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    await builder.AddBackupPanelAsync();
    var app = builder.Build();
    await app.UseBackupPanelAsync();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A clear, actionable message instead of a stack trace (see docs/CONFIGURATION.md).
    await Console.Error.WriteLineAsync($"BackupPanel cannot start: {ex.Message}");
    return 1;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    // A feature's own settings (BackupPanel:Notification*, BackupPanel:Import:*, …) are checked as the host starts.
    await Console.Error.WriteLineAsync($"BackupPanel cannot start: Invalid configuration: {string.Join(" ", ex.Failures)}");
    return 1;
}
