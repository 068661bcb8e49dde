namespace BackupPanel.Cli;

/// <summary>The command-line verbs, which need no database and no web server: <c>archive</c> and <c>import</c>.</summary>
internal static class CommandLine
{
    /// <summary>Runs the verb <paramref name="args"/> name and returns its exit code; null when they start the panel.</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args is not [("archive" or "import") and var verb, .. var rest])
        {
            return null;
        }

        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };
        return verb == "archive"
            ? await ArchiveCommand.RunAsync(rest, Console.Error, interrupted.Token) // docs/RESTORE-BY-HAND.md
            : await ImportCommand.RunAsync(rest, Console.Out, Console.Error, interrupted.Token); // docs/IMPORT.md
    }
}
