using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace BackupPanel.Core.Import;

/// <summary>
/// Plesk (Onyx/Obsidian) exports: <c>backup_info_TIMESTAMP.xml</c> with a <c>migration-dump</c> root naming domains,
/// databases and mail users, and content files under <c>domains/DOMAIN/</c>, each a tgz or tzst (zstd, maybe after a
/// header): <c>backup_…user-data_…</c> (the web space), <c>mailnames/USER/backup_…mailbox_…</c> (a Maildir), and
/// <c>databases/NAME_ID/backup_…sqldump_…</c> (one SQL dump per database).
/// </summary>
internal sealed partial class PleskScanner : IFormatScanner
{
    private static readonly (string Tag, string What)[] NotImported =
        [("dns-zone", "the DNS zone"), ("certificate", "SSL keys and certificates"), ("ftpuser", "FTP accounts"), ("scheduled-task", "cron jobs")];

    private readonly Dictionary<string, Space> _spaces = new(StringComparer.Ordinal);
    private readonly List<(string Domain, string Database, long Size, string Path)> _dumps = [];
    private readonly List<string> _markers = [];
    private XDocument? _info;

    public string Format => "Plesk";

    public IReadOnlyList<string> Markers => _markers;

    public bool IsMatch => _info is not null;

    public bool Descend(string path) => UserData().IsMatch(path) || Mailbox().IsMatch(path);

    public bool WantsContent(string path) => InfoXml().IsMatch(path);

    public void Visit(WalkEntry entry, byte[]? content)
    {
        if (InfoXml().IsMatch(entry.Path) && content is not null)
        {
            ReadInfo(entry.Path, content);
        }
        else if (MountedUserData().Match(entry.Path) is { Success: true } files)
        {
            SpaceOf(files.Groups["d"].Value).AddFile(entry, files.Groups["rest"].Value, $"domains/{files.Groups["d"].Value}/{files.Groups["m"].Value}/");
        }
        else if (MountedMailbox().Match(entry.Path) is { Success: true } mail)
        {
            var domain = mail.Groups["d"].Value;
            SpaceOf(domain).Mail.Add($"{mail.Groups["u"].Value}@{domain}", $"domains/{domain}/mailnames/{mail.Groups["u"].Value}/{mail.Groups["m"].Value}/", entry);
        }
        else if (SqlDump().Match(entry.Path) is { Success: true } dump && entry.Kind == WalkEntryKind.File)
        {
            _dumps.Add((dump.Groups["d"].Value, DatabaseSuffix().Replace(dump.Groups["db"].Value, ""), entry.Size, entry.Path));
        }
    }

    public ImportPreview Preview(WalkResult walk)
    {
        var warnings = new List<string>(walk.Warnings);
        var root = _info!.Root!;
        var domains = root.Descendants("domain").Where(d => d.Attribute("name") is not null).GroupBy(d => (string)d.Attribute("name")!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Domain(g.Key, g.First(), warnings)).ToList();
        return new ImportPreview
        {
            Format = Format, Version = (string?)root.Attribute("dump-version"), Compression = walk.Compression, ArchiveBytes = walk.ArchiveBytes,
            Domains = domains, Warnings = warnings,
        };
    }

    private ImportDomainPreview Domain(string name, XElement element, List<string> warnings)
    {
        var space = _spaces.GetValueOrDefault(name) ?? new Space();
        var engines = element.Descendants("database").Where(d => d.Attribute("name") is not null)
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Attribute("type") ?? "mysql", StringComparer.Ordinal);
        var databases = new List<ImportDatabasePreview>();
        foreach (var (_, database, size, path) in _dumps.Where(d => d.Domain == name))
        {
            var engine = engines.GetValueOrDefault(database, "mysql");
            if (engine is "mysql" or "postgresql") databases.Add(new ImportDatabasePreview(engine, database, size, "sql", path));
            else warnings.Add($"{name}: the {engine} database {database} — not imported (only MySQL and PostgreSQL).");
        }

        foreach (var missing in engines.Keys.Where(db => !_dumps.Any(d => d.Domain == name && d.Database == db)))
        {
            warnings.Add($"{name}: the database {missing} is listed, but its dump is not in the archive: not imported.");
        }

        foreach (var (tag, what) in NotImported)
        {
            if (element.Descendants(tag).Any()) warnings.Add($"{name}: {what} — not imported.");
        }

        if (space.Source is null) warnings.Add($"{name}: the archive has no web space content (backup_…user-data_…): no files to import.");
        return new ImportDomainPreview
        {
            Name = name, Files = space.Files, FileBytes = space.FileBytes, FilesSource = space.Source ?? $"domains/{name}/user-data/", FilesExcluded = ["logs/"],
            Databases = databases.OrderBy(d => d.Name, StringComparer.Ordinal).ToList(), Mailboxes = space.Mail.Mailboxes(),
        };
    }

    private void ReadInfo(string path, byte[] content)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64L << 20 };
            using var reader = XmlReader.Create(new MemoryStream(content), settings);
            var document = XDocument.Load(reader);
            if (document.Root?.Name.LocalName == "migration-dump")
            {
                _info = document;
                _markers.Add($"{path} (migration-dump {(string?)document.Root.Attribute("dump-version")})");
            }
        }
        catch (XmlException ex)
        {
            _markers.Add($"{path} is not readable XML ({ex.Message})");
        }
    }

    private Space SpaceOf(string domain) => _spaces.TryGetValue(domain, out var space) ? space : _spaces[domain] = new Space();

    [GeneratedRegex(@"^backup_info_[^/]+\.xml$")]
    private static partial Regex InfoXml();

    [GeneratedRegex(@"^domains/[^/]+/backup_(?:[^/]*_)?user-data_[^/]+$")]
    private static partial Regex UserData();

    [GeneratedRegex(@"^domains/[^/]+/mailnames/[^/]+/backup_(?:[^/]*_)?mailbox_[^/]+$")]
    private static partial Regex Mailbox();

    [GeneratedRegex(@"^domains/(?<d>[^/]+)/(?<m>backup_(?:[^/]*_)?user-data_[^/.]+)/(?<rest>.+)$")]
    private static partial Regex MountedUserData();

    [GeneratedRegex(@"^domains/(?<d>[^/]+)/mailnames/(?<u>[^/]+)/(?<m>backup_(?:[^/]*_)?mailbox_[^/.]+)/.+$")]
    private static partial Regex MountedMailbox();

    [GeneratedRegex(@"^domains/(?<d>[^/]+)/databases/(?<db>[^/]+)/backup_(?:[^/]*_)?sqldump_[^/]+$")]
    private static partial Regex SqlDump();

    [GeneratedRegex(@"_\d+$")]
    private static partial Regex DatabaseSuffix();

    /// <summary>What one domain's content files hold.</summary>
    private sealed class Space
    {
        public MaildirTally Mail { get; } = new();

        public string? Source { get; private set; }

        public long Files { get; private set; }

        public long FileBytes { get; private set; }

        public void AddFile(WalkEntry entry, string inside, string source)
        {
            Source ??= source;
            if (entry.Kind == WalkEntryKind.File && !inside.StartsWith("logs/", StringComparison.Ordinal))
            {
                Files++;
                FileBytes += entry.Size;
            }
        }
    }
}
