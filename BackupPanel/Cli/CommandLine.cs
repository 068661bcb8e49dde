namespace BackupPanel.Cli;

/// <summary>The command-line verbs, which need no database and no web server: <c>archive</c> and <c>import</c>.</summary>
internal static class CommandLine
{
    private const string Usage = """
        Usage:
          BackupPanel [--urls URL] [--Section:Key=value]...   start the panel (docs/CONFIGURATION.md)
          BackupPanel archive create|extract|verify …         the backup engine by hand (docs/RESTORE-BY-HAND.md)
          BackupPanel import inspect ARCHIVE                  what an import would take (docs/IMPORT.md)
          BackupPanel help                                    this text
        """;

    /// <summary>
    /// Runs the verb <paramref name="args"/> name and returns its exit code; null when they start the panel. Any other
    /// word first (a typo, a command of a later version) prints the usage and exits 2: it never starts the panel, which
    /// would take the data folder and its database.
    /// </summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        switch (args)
        {
            case ["help" or "--help" or "-h" or "-?", ..]:
                await Console.Out.WriteLineAsync(Usage);
                return 0;
            case [var word, ..] when !word.StartsWith('-') && word is not ("archive" or "import"):
                await Console.Error.WriteLineAsync($"BackupPanel: unknown command '{(word.Length > 40 ? word[..40] + "…" : word)}'.");
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }

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
