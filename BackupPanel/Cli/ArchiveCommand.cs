using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;

namespace BackupPanel.Cli;

/// <summary>
/// <c>BackupPanel archive create|extract|verify</c>: the backup engine without a database or web server, for scripts
/// and for restoring by hand. Exit codes (docs/RESTORE-BY-HAND.md): 0 done, 1 failed, 2 wrong usage,
/// 3 the archive is damaged, tampered with, unsafe, or the identity does not fit.
/// </summary>
internal static class ArchiveCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Corrupt = 3;

    private const string Help = """
        Usage:
          BackupPanel archive create  --source DIR --out WHERE [--recipient age1...]... [--sign-with FILE] [--level 1-19] [--exclude GLOB]...
          BackupPanel archive extract --from WHERE --to DIR [--identity FILE] [--trust-unsigned] [--dry-run]
          BackupPanel archive verify  --from WHERE [--identity FILE] [--trust-unsigned]
        A backup's manifest.sig is checked with the key given by --identity (the panel's key, from the recovery kit);
          an unsigned backup, or one that cannot be checked without the key, is refused unless --trust-unsigned.
          A signature that does not match is refused always.
        WHERE is a folder or a URL: sftp://user@host:port/path (--sftp-host-key SHA256:… required),
          ftp://user@host:port/path, ftps://… (--ftps-certificate SHA-256 for a self-signed server),
          s3://bucket/prefix?endpoint=http://host:port&region=us-east-1
        Secrets only from the environment: BACKUPPANEL_SFTP_PASSWORD or BACKUPPANEL_SFTP_KEY_FILE (+ _KEY_PASSPHRASE),
          BACKUPPANEL_FTP_PASSWORD, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
        Exit codes: 0 done, 1 failed, 2 wrong usage, 3 archive damaged/tampered/unsafe or wrong identity.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter error, CancellationToken ct)
    {
        try
        {
            return args switch
            {
                ["create", .. var rest] => await CreateAsync(rest, error, ct),
                ["extract", .. var rest] => await ExtractAsync(rest, error, ct),
                ["verify", .. var rest] => await VerifyAsync(rest, error, ct),
                _ => await UsageAsync(error, null),
            };
        }
        catch (ArgumentException ex)
        {
            return await UsageAsync(error, ex.Message);
        }
        catch (Exception ex) when (ExpectedFailure.IsDamage(ex))
        {
            await error.WriteLineAsync($"archive: {ex.Message}");
            return Corrupt;
        }
        catch (Exception ex) when (ExpectedFailure.Is(ex))
        {
            await error.WriteLineAsync($"archive: {ex.Message}");
            return Failed;
        }
    }

    private static async Task<int> CreateAsync(string[] args, TextWriter error, CancellationToken ct)
    {
        var a = CommandLineArgs.Parse(args, new HashSet<string> { "--source", "--out", "--recipient", "--sign-with", "--level", "--exclude", "--sftp-host-key", "--ftps-certificate" }, new HashSet<string>());
        var signer = a.Optional("--sign-with") is { } signWith ? ReadIdentity(await File.ReadAllTextAsync(signWith, ct), "--sign-with") : null;
        var source = Path.GetFullPath(a.Required("--source"));
        var output = a.Required("--out");
        var level = int.TryParse(a.Optional("--level") ?? "3", out var l) && l is >= 1 and <= 19 ? l : throw new ArgumentException("--level must be 1 to 19.");
        var recipients = a.All("--recipient").Select(r => AgeRecipient.TryParse(r, out var k) ? k : throw new ArgumentException($"--recipient '{r}' is not an age public key (age1…).")).ToArray();
        var excludes = new ExcludeFilter(a.All("--exclude"));
        if (!DestinationKinds.IsUrl(output))
        {
            Directory.CreateDirectory(output = Path.GetFullPath(output));
        }

        await using var storage = Open(a, output);
        if (await storage.StatAsync(ArchiveManifest.FileName, ct) is not null)
        {
            throw new ArgumentException($"{storage} already holds a backup (manifest.json); choose an empty folder.");
        }

        var started = DateTimeOffset.UtcNow;
        var writer = new ArchiveWriter(storage, "", new ArchiveWriteOptions { CompressionLevel = level, Recipients = recipients });
        var progress = new ProgressPrinter(error, "files");
        TreeArchiveResult? tree = null;
        var component = await writer.WriteComponentAsync(ArchiveLayout.FilesKind, null, async (tar, token) =>
        {
            tree = await TreeArchiver.WriteAsync(source, excludes, tar, token);
            return tree.Entries;
        }, progress.Report, ct);
        await writer.CommitAsync(new ArchiveManifest
        {
            BackupId = Guid.NewGuid(),
            Domain = Path.GetFileName(source),
            Type = "Files",
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Tool = $"BackupPanel {typeof(ArchiveCommand).Assembly.GetName().Version?.ToString(3)}",
            Components = [component],
        }, ct, signer);
        var partial = Path.Combine(output, LocalStorageBackend.PartialFolder);
        if (!DestinationKinds.IsUrl(output) && Directory.Exists(partial) && !Directory.EnumerateFileSystemEntries(partial).Any())
        {
            Directory.Delete(partial);
        }

        foreach (var warning in tree!.Warnings)
        {
            await error.WriteLineAsync($"warning: {warning}");
        }

        await error.WriteLineAsync($"created {component.Name}: {tree.Entries:N0} entries, {component.PlainSize:N0} bytes → {component.StoredSize:N0} stored, {progress.Summary()}");
        return Ok;
    }

    private static async Task<int> ExtractAsync(string[] args, TextWriter error, CancellationToken ct)
    {
        var a = CommandLineArgs.Parse(args, new HashSet<string> { "--from", "--to", "--identity", "--sftp-host-key", "--ftps-certificate" }, new HashSet<string> { "--dry-run", "--trust-unsigned" });
        await using var storage = Open(a, a.Required("--from"));
        var (reader, manifest) = await OpenAsync(a, storage, error, ct);
        var target = Path.GetFullPath(a.Required("--to"));
        var options = new ExtractOptions { DryRun = a.Flag("--dry-run") };

        // All or nothing: every component is read, checked and staged first; only then is any put in place.
        using var staged = new StagedSet();
        try
        {
            await StageAllAsync(reader, manifest, target, options, staged, error, ct);
        }
        catch (Exception ex) when (ExpectedFailure.Is(ex))
        {
            await error.WriteLineAsync($"archive: {ex.Message}");
            await error.WriteLineAsync(options.DryRun ? "archive: the dry run stopped there" : $"archive: nothing was restored into {target}: no component is put in place unless all of them check out");
            return ExpectedFailure.IsDamage(ex) ? Corrupt : Failed;
        }

        if (options.DryRun)
        {
            await error.WriteLineAsync("dry run: everything checked out; nothing was written");
            return Ok;
        }

        await staged.CommitAsync(CancellationToken.None);
        foreach (var done in staged.Committed)
        {
            await error.WriteLineAsync($"restored {done}");
        }

        return Ok;
    }

    private static async Task StageAllAsync(
        ArchiveReader reader, ArchiveManifest manifest, string target, ExtractOptions options, StagedSet staged, TextWriter error, CancellationToken ct)
    {
        foreach (var component in manifest.Components)
        {
            var progress = new ProgressPrinter(error, component.Name);
            var place = ExtractLayout.PlaceOf(manifest, component, target);
            if (TreeComponents.IsTree(component))
            {
                var tree = await TreeComponents.StageAsync(reader, component, place, options, progress.Report, ct);
                staged.Add($"{component.Name} into {place}", tree);
                foreach (var line in options.DryRun ? tree.Result.Changes : [])
                {
                    await error.WriteLineAsync($"would {line}");
                }

                foreach (var warning in tree.Result.Warnings)
                {
                    await error.WriteLineAsync($"warning: {warning}");
                }

                await error.WriteLineAsync($"checked {component.Name}: {tree.Result.Created:N0} {(options.DryRun ? "would be " : "to be ")}new, "
                    + $"{tree.Result.Replaced:N0} {(options.DryRun ? "would be " : "to be ")}replaced, {progress.Summary()}");
            }
            else if (options.DryRun)
            {
                await DumpFiles.SaveAsync(reader, component, null, progress.Report, ct);
                await error.WriteLineAsync($"checked {component.Name}, would be saved as {place}, {progress.Summary()}");
            }
            else
            {
                staged.Add($"{component.Name} as {place}", await DumpFiles.StageAsync(reader, component, place, progress.Report, ct));
                await error.WriteLineAsync($"checked {component.Name}, {progress.Summary()}");
            }
        }
    }

    private static async Task<int> VerifyAsync(string[] args, TextWriter error, CancellationToken ct)
    {
        var a = CommandLineArgs.Parse(args, new HashSet<string> { "--from", "--identity", "--sftp-host-key", "--ftps-certificate" }, new HashSet<string> { "--trust-unsigned" });
        await using var storage = Open(a, a.Required("--from"));
        var (reader, manifest) = await OpenAsync(a, storage, error, ct);
        foreach (var component in manifest.Components)
        {
            var progress = new ProgressPrinter(error, component.Name);
            if (component.Encryption == "age" && a.Optional("--identity") is null)
            {
                await ArchiveReader.CheckStoredCopyAsync(storage, "", component, ct);
                await error.WriteLineAsync($"ok {component.Name}: stored bytes match (size, SHA-256); content not checked without --identity");
                continue;
            }

            if (TreeComponents.IsTree(component))
            {
                var result = await TreeComponents.VerifyAsync(reader, component, progress.Report, ct);
                await error.WriteLineAsync($"ok {component.Name}: {result.Entries:N0} entries, checksums match, {progress.Summary()}");
            }
            else
            {
                await DumpFiles.SaveAsync(reader, component, null, progress.Report, ct);
                await error.WriteLineAsync($"ok {component.Name}: checksums match, {progress.Summary()}");
            }
        }

        return Ok;
    }

    private static IStorageBackend Open(CommandLineArgs a, string location) =>
        DestinationKinds.OpenUrl(location, new UrlOptions(a.Optional("--sftp-host-key"), a.Optional("--ftps-certificate"), Environment.GetEnvironmentVariable,
            line => Console.Error.WriteLine("retry: " + line)));

    /// <summary>
    /// Reads the manifest and checks its signature with the --identity key: a wrong one is refused (exit 3); an unsigned
    /// backup or one that cannot be checked here only with --trust-unsigned, said plainly on stderr.
    /// </summary>
    private static async Task<(ArchiveReader Reader, ArchiveManifest Manifest)> OpenAsync(CommandLineArgs a, IStorageBackend from, TextWriter error, CancellationToken ct)
    {
        AgeIdentity[] identities = a.Optional("--identity") is { } file ? [ReadIdentity(await File.ReadAllTextAsync(file, ct), "--identity")] : [];
        var reader = new ArchiveReader(from, "", identities);
        var manifest = await reader.ReadManifestAsync(null, ct);
        var trust = a.Flag("--trust-unsigned");
        var problem = reader.Signature switch
        {
            SignatureState.Missing => "the backup is not signed (no manifest.sig), so nothing proves BackupPanel wrote it",
            SignatureState.UnknownKey when identities.Length == 0 => $"its signature (by {reader.SignatureKey}) cannot be checked without the panel's key: give it with --identity",
            SignatureState.UnknownKey => $"it is signed by {reader.SignatureKey}, not by the --identity key",
            _ => null,
        };
        if (problem is null)
        {
            await error.WriteLineAsync($"signature ok: manifest.json signed by {reader.SignatureKey}");
        }
        else if (trust)
        {
            await error.WriteLineAsync($"warning: {problem}; going on because of --trust-unsigned");
        }
        else
        {
            throw new ArchiveCorruptException(ManifestSignature.FileName, $"{problem}. Use --trust-unsigned to go on anyway");
        }

        return (reader, manifest);
    }

    private static AgeIdentity ReadIdentity(string text, string option)
    {
        try
        {
            return AgeIdentity.Parse(text);
        }
        catch (AgeException ex)
        {
            throw new ArgumentException($"{option}: {ex.Message}", ex);
        }
    }

    private static async Task<int> UsageAsync(TextWriter error, string? problem)
    {
        if (problem is not null)
        {
            await error.WriteLineAsync($"archive: {problem}");
        }

        await error.WriteLineAsync(Help);
        return Usage;
    }
}
