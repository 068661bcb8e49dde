using BackupPanel.Hosting;

// The web host only composes; each piece lives in Hosting/ and in the Core feature folders.
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
