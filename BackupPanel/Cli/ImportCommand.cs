using System.Text.Json;
using BackupPanel.Core.Import;
using Microsoft.Extensions.Options;

namespace BackupPanel.Cli;

/// <summary>
/// <c>BackupPanel import inspect ARCHIVE</c>: which panel made an archive and what it holds, as JSON on stdout, without
/// a database or web server (docs/IMPORT.md). Exit codes: 0 recognized, 2 refused (the reason on stderr) or wrong usage.
/// </summary>
internal static class ImportCommand
{
    public const int Ok = 0;
    public const int Refused = 2;

    private const string Help = """
        Usage:
          BackupPanel import inspect ARCHIVE
        ARCHIVE is a cPanel, Virtualmin or Plesk export: a tar file (plain, gzip or zstd) or an unpacked folder.
        Prints the detected format and the preview (domains, databases, mailboxes, file totals, warnings) as JSON.
        Exit codes: 0 recognized, 2 refused (the reason on stderr) or wrong usage.
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a terminal, not a web page
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (args is not ["inspect", var archive] || archive.StartsWith('-'))
        {
            await error.WriteLineAsync(Help);
            return Refused;
        }

        if (!File.Exists(archive) && !Directory.Exists(archive))
        {
            await error.WriteLineAsync($"{archive}: no such file or folder.");
            return Refused;
        }

        try
        {
            var preview = await Task.Run(() => new ArchiveInspector(Options.Create(new ImportOptions())).Inspect(archive, ct), ct);
            await output.WriteLineAsync(JsonSerializer.Serialize(preview, Json));
            return Ok;
        }
        catch (ImportRefusedException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return Refused;
        }
        catch (UnauthorizedAccessException ex)
        {
            await error.WriteLineAsync($"{archive}: {ex.Message}");
            return Refused;
        }
    }
}
