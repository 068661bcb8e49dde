using BackupPanel.Hosting;

// The web host only composes; each piece lives in Hosting/ and in the Core feature folders.
if (args is ["archive", .. var archiveArgs])
{
    // The backup engine on the command line: no database, no web server (docs/RESTORE-BY-HAND.md).
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };
    return await ArchiveCommand.RunAsync(archiveArgs, Console.Error, interrupted.Token);
}

if (args is ["import", .. var importArgs])
{
    // Inspect a cPanel, Virtualmin or Plesk archive before a migration (docs/IMPORT.md).
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };
    return await ImportCommand.RunAsync(importArgs, Console.Out, Console.Error, interrupted.Token);
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
