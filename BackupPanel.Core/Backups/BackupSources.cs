using BackupPanel.Core.Archive;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Backups;

/// <summary>One component to write: its kind, database name, and the producer of its plain bytes.</summary>
internal sealed record PlannedComponent(string Kind, string? Database, string Phase, Func<Stream, CancellationToken, Task<long?>> Produce);

/// <summary>Which components a backup type takes from a domain, and how each is produced.</summary>
internal static class BackupSources
{
    public static List<PlannedComponent> Plan(Domain domain, BackupType type, DomainService domains, List<string> warnings)
    {
        var plan = new List<PlannedComponent>();
        if (type is BackupType.Full or BackupType.Files && domain.FilesRoot is { } filesRoot)
        {
            var excludes = Excludes(domain);
            plan.Add(new(ArchiveLayout.FilesKind, null, "files", (s, ct) => TreeAsync(filesRoot, excludes, s, warnings, ct)));
        }

        if (type is BackupType.Full or BackupType.Database)
        {
            foreach (var database in domain.Databases)
            {
                var connection = domains.ConnectionOf(database);
                plan.Add(database.Engine == DatabaseEngine.PostgreSql
                    ? new(ArchiveLayout.PostgreSqlKind, database.Name, $"database {database.Name}", (s, ct) => DumpAsync(PostgreSqlSource.DumpAsync(connection, s, ct)))
                    : new(ArchiveLayout.MySqlKind, database.Name, $"database {database.Name}", (s, ct) => DumpAsync(MySqlSource.DumpAsync(connection, s, ct))));
            }
        }

        if (type is BackupType.Full or BackupType.Email && domain.MailRoot is { } mailRoot)
        {
            plan.Add(new(ArchiveLayout.MailKind, null, "mail", (s, ct) => TreeAsync(mailRoot, ExcludeFilter.None, s, warnings, ct)));
        }

        return plan;
    }

    /// <summary>The folders a backup of <paramref name="type"/> reads (files root, mail root).</summary>
    public static IEnumerable<string> Roots(Domain domain, BackupType type) =>
        new[] { type is BackupType.Email ? null : domain.FilesRoot, type is BackupType.Files ? null : domain.MailRoot }.OfType<string>();

    /// <summary>Bytes of the regular files under the roots this plan reads (for percent and ETA); null with databases.</summary>
    public static long? EstimateTotal(Domain domain, BackupType type)
    {
        if (type is BackupType.Full or BackupType.Database && domain.Databases.Count > 0)
        {
            return null;
        }

        long total = 0;
        foreach (var root in Roots(domain, type))
        {
            try
            {
                using var folder = DirectoryHandle.OpenReal(root);
                total += folder.SizeOfFiles();
            }
            catch (IOException)
            {
                // Missing, or a link: the backup itself says so.
            }
        }

        return total;
    }

    private static ExcludeFilter Excludes(Domain domain)
    {
        try
        {
            return new ExcludeFilter(domain.Excludes);
        }
        catch (ArgumentException ex)
        {
            // Saved patterns were checked by the domain form; one that fails now is the domain's problem, not a bug.
            throw new RunFailedException($"The exclude patterns of {domain.Name} cannot be used: {ex.Message}", ex);
        }
    }

    private static async Task<long?> TreeAsync(string root, ExcludeFilter excludes, Stream output, List<string> warnings, CancellationToken ct)
    {
        if (!Directory.Exists(root))
        {
            throw new RunFailedException($"The folder {root} does not exist (or is not readable by the panel).");
        }

        var result = await TreeArchiver.WriteAsync(root, excludes, output, ct).ConfigureAwait(false);
        lock (warnings)
        {
            warnings.AddRange(result.Warnings);
        }

        return result.Entries;
    }

    private static async Task<long?> DumpAsync(Task dump)
    {
        await dump.ConfigureAwait(false);
        return null;
    }
}
