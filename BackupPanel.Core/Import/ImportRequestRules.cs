using System.Text.RegularExpressions;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore;

namespace BackupPanel.Core.Import;

/// <summary>Checks the import form against the archive's preview: errors by field, in words a person can act on.</summary>
internal static partial class ImportRequestRules
{
    public static Dictionary<string, string> Validate(ImportRequest request, ImportPreview preview, bool destinationExists)
    {
        var errors = new Dictionary<string, string>();
        var unknown = request.Domains.Where(d => preview.Domains.All(p => p.Name != d)).ToList();
        var chosen = Chosen(request, preview);
        if (unknown.Count > 0 || chosen.Count == 0)
        {
            errors[nameof(ImportRequest.Domains)] = unknown.Count > 0 ? $"Not in the archive: {string.Join(", ", unknown.Take(5))}." : "The archive holds no domain to import.";
        }

        var badNames = chosen.Where(d => !DomainValidator.IsDomainName(d.Name)).Select(d => d.Name).ToList();
        if (badNames.Count > 0)
        {
            errors[nameof(ImportRequest.Domains)] = $"Not a valid domain name: {string.Join(", ", badNames.Take(5).Select(n => n.Length > 80 ? n[..80] + "…" : n))}. Untick it.";
        }

        if (!destinationExists)
        {
            errors[nameof(ImportRequest.DestinationId)] = "Choose where the imported backups are stored.";
        }

        Root(errors, nameof(ImportRequest.FilesRoot), request.FilesRoot, chosen.Any(d => d.Files > 0), chosen.Count);
        Root(errors, nameof(ImportRequest.MailRoot), request.MailRoot, chosen.Any(d => d.Mailboxes.Count > 0), chosen.Count);
        var databases = chosen.SelectMany(d => d.Databases).ToList();
        Server(errors, nameof(ImportRequest.MySql), request.MySql, databases.Any(d => d.Engine == "mysql"), "MySQL/MariaDB");
        Server(errors, nameof(ImportRequest.PostgreSql), request.PostgreSql, databases.Any(d => d.Engine == "postgresql"), "PostgreSQL");
        var targets = TargetNames(request, databases);
        var bad = targets.Where(t => !DatabaseName().IsMatch(t.Value)).Select(t => t.Key).ToList();
        if (bad.Count > 0)
        {
            errors[nameof(ImportRequest.DatabaseNames)] = $"Give a database name (1 to 63 letters, digits, '_' or '-') for {string.Join(", ", bad.Take(5))}.";
        }
        else if (targets.GroupBy(t => t.Key.Split(':')[0] + ":" + t.Value).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            errors[nameof(ImportRequest.DatabaseNames)] = $"Two databases would both become {clash.Key}: give one another name.";
        }

        return errors;
    }

    public static List<ImportDomainPreview> Chosen(ImportRequest request, ImportPreview preview) =>
        preview.Domains.Where(d => request.Domains.Count == 0 || request.Domains.Contains(d.Name)).ToList();

    /// <summary>Each database's target name: the one given, or its own.</summary>
    public static Dictionary<string, string> TargetNames(ImportRequest request, IEnumerable<ImportDatabasePreview> databases) =>
        databases.Select(d => ImportRequest.DatabaseKey(d.Engine, d.Name)).Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, k => request.DatabaseNames.GetValueOrDefault(k) is { Length: > 0 } name ? name.Trim() : k.Split(':', 2)[1], StringComparer.Ordinal);

    /// <summary>A root template with <c>{domain}</c> replaced.</summary>
    public static string RootFor(string template, string domain) => RestoreService.Normalize(template.Replace("{domain}", domain, StringComparison.Ordinal))!;

    private static void Root(Dictionary<string, string> errors, string field, string? template, bool needed, int domains)
    {
        if (!needed)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(template) || !RestoreService.IsSafeDirectory(template.Trim().Replace("{domain}", "x", StringComparison.Ordinal)))
        {
            errors[field] = "Give an absolute folder, not / itself and without '..'; {domain} becomes each domain's name (e.g. /srv/www/{domain}).";
        }
        else if (domains > 1 && !template.Contains("{domain}", StringComparison.Ordinal))
        {
            errors[field] = "Several domains are imported: put {domain} in the folder so each gets its own.";
        }
    }

    private static void Server(Dictionary<string, string> errors, string field, DatabaseServerInput server, bool needed, string engine)
    {
        if (needed && (string.IsNullOrWhiteSpace(server.Host) || server.Host.Length > 253 || server.Port is < 1 or > 65535
            || string.IsNullOrWhiteSpace(server.User) || server.User.Length > 63))
        {
            errors[field] = $"The archive has {engine} databases: give the server (host, port) and a user that may create databases.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex DatabaseName();
}
