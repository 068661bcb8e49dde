using BackupPanel.Core.Archive;
using BackupPanel.Core.Databases;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Domains;

/// <summary>One line of a domain check: the part, whether it is fine, and what was found.</summary>
public sealed record DomainCheckItem(string Part, bool Ok, string Message);

/// <summary>
/// Tests each part of a domain the way a backup would use it: roots readable, databases reachable with the stored
/// credentials, the dump tools present in a usable version. Says precisely what is wrong.
/// </summary>
public sealed class DomainChecker(DomainService domains)
{
    public async Task<IReadOnlyList<DomainCheckItem>> CheckAsync(Guid domainId, CancellationToken ct)
    {
        var domain = await domains.GetAsync(domainId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("This domain does not exist (any more).");
        var items = new List<DomainCheckItem>();
        if (domain.FilesRoot is { } files)
        {
            items.Add(CheckFolder("Files root", files));
        }

        foreach (var database in domain.Databases)
        {
            items.Add(await CheckDatabaseAsync(database, ct).ConfigureAwait(false));
        }

        if (domain.MailRoot is { } mail)
        {
            items.Add(CheckFolder("Mail root", mail));
        }

        return items;
    }

    private static DomainCheckItem CheckFolder(string part, string path)
    {
        try
        {
            using var folder = DirectoryHandle.OpenReal(path);
            var entries = folder.List().Count;
            return new(part, true, $"{path} is readable ({(entries >= 1000 ? "1,000+" : entries.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} entries at the top).");
        }
        catch (DirectoryNotFoundException)
        {
            return new(part, false, $"{path} does not exist (or a parent folder is not readable by the panel).");
        }
        catch (SymbolicLinkRefusedException ex)
        {
            return new(part, false, ex.Message);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return new(part, false, $"{path} is not readable by the panel ({ex.Message}).");
        }
    }

    private async Task<DomainCheckItem> CheckDatabaseAsync(DomainDatabase database, CancellationToken ct)
    {
        var part = $"{(database.Engine == DatabaseEngine.PostgreSql ? "PostgreSQL" : "MySQL")} database {database.Name}";
        var connection = domains.ConnectionOf(database);
        try
        {
            if (database.Engine == DatabaseEngine.PostgreSql)
            {
                var major = await PostgreSqlSource.ServerMajorAsync(connection, ct).ConfigureAwait(false);
                var tool = DatabaseTools.PgDump(major);
                return new(part, true, $"Connected as {database.User} (PostgreSQL {major}); dumps with {tool}.");
            }

            var version = await MySqlSource.ServerVersionAsync(connection, ct).ConfigureAwait(false);
            return new(part, true, $"Connected as {database.User} (server {version}); dumps with {DatabaseTools.MySqlDump()}.");
        }
        catch (RunFailedException ex)
        {
            return new(part, false, ex.Message);
        }
    }
}
