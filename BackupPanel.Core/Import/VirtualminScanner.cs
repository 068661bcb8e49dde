using System.Text.RegularExpressions;

namespace BackupPanel.Core.Import;

/// <summary>
/// Virtualmin backups, one file for all domains or one <c>DOMAIN.tar.gz</c> each: feature files at the top named
/// <c>DOMAIN_FEATURE</c> (listed as <c>./…</c>): <c>_virtualmin</c> (the domain's key=value settings), <c>_dir</c> or
/// <c>_dir.tar</c> (the home folder, a nested tar), <c>_mysql_DB</c> (SQL), <c>_postgres_DB</c> (pg_dump custom format).
/// Mailboxes are Maildirs under <c>homes/USER/Maildir</c> in the home folder.
/// </summary>
internal sealed partial class VirtualminScanner : IFormatScanner
{
    /// <summary>Home sub-folders that are not web content: mail users' homes (imported as mailboxes), the owner's mail, logs, settings.</summary>
    public static readonly string[] NotWebContent = ["homes/", "Maildir/", "logs/", "tmp/", "etc/", ".backup/"];

    private readonly List<(string Domain, string Feature, long Size, string Path)> _features = [];
    private readonly Dictionary<string, Home> _homes = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _global = new(StringComparer.Ordinal);

    public string Format => "Virtualmin";

    public IReadOnlyList<string> Markers => _features.Where(f => f.Feature == "virtualmin").Select(f => f.Path).ToList();

    public bool IsMatch => Markers.Count > 0;

    public bool Descend(string path) => HomeTar().IsMatch(path);

    public bool WantsContent(string path) => false;

    public void Visit(WalkEntry entry, byte[]? content)
    {
        var slash = entry.Path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 && entry.Kind == WalkEntryKind.File && FeatureFile().Match(entry.Path) is { Success: true } m)
        {
            _features.Add((m.Groups["domain"].Value, m.Groups["feature"].Value, entry.Size, entry.Path));
        }
        else if (slash < 0 && entry.Path.StartsWith("virtualmin_", StringComparison.Ordinal))
        {
            _global.Add(entry.Path);
        }
        else if (slash > 0 && entry.Path[..slash] is var top && top.EndsWith("_dir", StringComparison.Ordinal))
        {
            var domain = top[..^4];
            var home = _homes.TryGetValue(domain, out var h) ? h : _homes[domain] = new Home();
            home.Add(domain, top + "/", entry.Path[(slash + 1)..], entry);
        }
    }

    public ImportPreview Preview(WalkResult walk)
    {
        var warnings = new List<string>(walk.Warnings);
        if (_global.Count > 0) warnings.Add($"Virtualmin's own settings ({string.Join(", ", _global.Take(5))}{(_global.Count > 5 ? ", …" : "")}) are not imported.");
        var domains = Markers.Select(m => m[..^"_virtualmin".Length]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(d => Domain(d, warnings)).ToList();
        return new ImportPreview { Format = Format, Compression = walk.Compression, ArchiveBytes = walk.ArchiveBytes, Domains = domains, Warnings = warnings };
    }

    private ImportDomainPreview Domain(string domain, List<string> warnings)
    {
        var features = _features.Where(f => f.Domain == domain).ToList();
        var databases = new List<ImportDatabasePreview>();
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, feature, size, path) in features)
        {
            if (feature.StartsWith("mysql_", StringComparison.Ordinal)) databases.Add(new("mysql", feature[6..], size, "sql", path));
            else if (feature.StartsWith("postgres_", StringComparison.Ordinal)) databases.Add(new("postgresql", feature[9..], size, "pg_dump-custom", path));
            else if (feature is not ("virtualmin" or "dir" or "dir.tar")) skipped.Add(Describe(feature));
        }

        var home = _homes.GetValueOrDefault(domain) ?? new Home();
        if (!_homes.ContainsKey(domain)) warnings.Add($"{domain}: the backup has no home folder ({domain}_dir): no files or mailboxes to import.");
        warnings.AddRange(skipped.Select(s => $"{domain}: {s} — not imported."));
        if (home.OwnerMessages > 0) warnings.Add($"{domain}: the owner's own mailbox (Maildir/ in the home folder, {home.OwnerMessages} messages) is not imported; mail users' mailboxes (homes/USER/Maildir) are.");
        if (home.Mdbox.Count > 0) warnings.Add($"{domain}: mailboxes in mdbox format are not imported (only Maildir): {string.Join(", ", home.Mdbox)}.");
        return new ImportDomainPreview
        {
            Name = domain, Files = home.Files, FileBytes = home.FileBytes, FilesSource = domain + "_dir/", FilesExcluded = NotWebContent,
            Databases = databases.OrderBy(d => d.Name, StringComparer.Ordinal).ToList(), Mailboxes = home.Mail.Mailboxes(),
        };
    }

    private static string Describe(string feature) => feature switch
    {
        _ when feature.StartsWith("dns", StringComparison.Ordinal) => "the DNS zone",
        _ when feature.StartsWith("ssl", StringComparison.Ordinal) => "SSL keys and certificates",
        _ when feature.StartsWith("cron", StringComparison.Ordinal) => "cron jobs",
        _ when feature.StartsWith("ftp", StringComparison.Ordinal) => "FTP accounts",
        _ when feature.StartsWith("mail", StringComparison.Ordinal) => "mail aliases and mail users' passwords",
        _ => $"the {feature} settings",
    };

    [GeneratedRegex(@"^[^/]+_dir(\.tar)?$")]
    private static partial Regex HomeTar();

    [GeneratedRegex(@"^(?<domain>[A-Za-z0-9.-]+)_(?<feature>[a-z][A-Za-z0-9_.-]*)$")]
    private static partial Regex FeatureFile();

    /// <summary>What one domain's home folder holds.</summary>
    private sealed class Home
    {
        public MaildirTally Mail { get; } = new();

        public SortedSet<string> Mdbox { get; } = new(StringComparer.Ordinal);

        public long Files { get; private set; }

        public long FileBytes { get; private set; }

        public long OwnerMessages { get; private set; }

        public void Add(string domain, string root, string inside, WalkEntry entry)
        {
            var parts = inside.Split('/');
            if (parts is ["homes", var user, "Maildir", ..])
            {
                Mail.Add($"{user}@{domain}", $"{root}homes/{user}/Maildir/", entry);
            }
            else if (parts is ["homes", var mdboxUser, "mdbox", ..])
            {
                Mdbox.Add($"{mdboxUser}@{domain}");
            }
            else if (parts is ["Maildir", "cur" or "new", _] && entry.Kind == WalkEntryKind.File)
            {
                OwnerMessages++;
            }
            else if (entry.Kind == WalkEntryKind.File && !NotWebContent.Any(p => inside.StartsWith(p, StringComparison.Ordinal)))
            {
                Files++;
                FileBytes += entry.Size;
            }
        }
    }
}
