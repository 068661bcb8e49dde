using System.Text;
using System.Text.RegularExpressions;

namespace BackupPanel.Core.Import;

/// <summary>
/// cPanel account archives (<c>cpmove-USER.tar.gz</c>, <c>backup-M.D.YYYY_HH-MM-SS_USER.tar.gz</c>, or the unpacked
/// folder): a top folder with <c>cp/USER</c> and <c>version</c>, <c>userdata/</c>, the home folder as <c>homedir/</c>
/// or a nested <c>homedir.tar</c>, MySQL dumps in <c>mysql/*.sql</c> (grants in <c>mysql.sql</c>), PostgreSQL dumps in
/// <c>psql/*.tar</c>, mail in Maildir under <c>homedir/mail/DOMAIN/USER/</c>. One domain per account: its main domain.
/// </summary>
internal sealed partial class CPanelScanner : IFormatScanner
{
    /// <summary>Home sub-folders that are not web content: mail (imported as mailboxes), mail passwords, caches, logs, cPanel's own state.</summary>
    public static readonly string[] NotWebContent = ["mail/", "etc/", "tmp/", "logs/", "ssl/", ".cpanel/", ".trash/", ".cphorde/"];

    private readonly SortedDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    public string Format => "cPanel";

    public IReadOnlyList<string> Markers => _accounts.Values.Where(a => a.User is not null)
        .Select(a => $"{a.Top}/cp/{a.User}" + (a.HasHome ? $", {a.Top}/homedir" : "") + (a.Version is null ? "" : $", {a.Top}/version")).ToList();

    public bool IsMatch => _accounts.Values.Any(a => a.User is not null && (a.HasHome || a.Version is not null || a.HasUserdata));

    public bool Descend(string path) => HomeTar().IsMatch(path);

    public bool WantsContent(string path) => AccountFile().IsMatch(path) || path.EndsWith("/mysql.sql", StringComparison.Ordinal) && path.Count(c => c == '/') == 1;

    public void Visit(WalkEntry entry, byte[]? content)
    {
        var slash = entry.Path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return;
        }

        var top = entry.Path[..slash];
        var rest = entry.Path[(slash + 1)..];
        var account = _accounts.TryGetValue(top, out var found) ? found : _accounts[top] = new Account(top);
        account.Visit(rest, entry, content);
    }

    public ImportPreview Preview(WalkResult walk)
    {
        var accounts = _accounts.Values.Where(a => a.User is not null).ToList();
        var warnings = new List<string>(walk.Warnings);
        var domains = accounts.Select(a => a.Preview(warnings)).ToList();
        return new ImportPreview
        {
            Format = Format, Version = accounts.Select(a => a.Version).FirstOrDefault(v => v is not null), Compression = walk.Compression,
            ArchiveBytes = walk.ArchiveBytes, Domains = domains, Warnings = warnings,
        };
    }

    [GeneratedRegex(@"^[^/]+/homedir\.tar$")]
    private static partial Regex HomeTar();

    [GeneratedRegex(@"^[^/]+/(cp/[^/]+|version|userdata/main)$")]
    private static partial Regex AccountFile();

    [GeneratedRegex(@"^\s*GRANT\s", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GrantLine();

    [GeneratedRegex(@"^\s*GRANT\s[^;]*\sIDENTIFIED\s+BY\s", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex OldGrant();

    /// <summary>One account folder of the archive.</summary>
    private sealed class Account(string top)
    {
        private readonly MaildirTally _mail = new();
        private readonly List<ImportDatabasePreview> _databases = [];
        private readonly SortedSet<string> _notImported = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _mdbox = new(StringComparer.Ordinal);
        private readonly List<string> _addons = [];
        private string? _mainDomain;
        private string? _dnsDomain;
        private long _files;
        private long _fileBytes;
        private long _ownMailbox;
        private string? _grantsWarning;

        public string Top { get; } = top;

        public string? User { get; private set; }

        public string? Version { get; private set; }

        public bool HasHome { get; private set; }

        public bool HasUserdata { get; private set; }

        public void Visit(string rest, WalkEntry entry, byte[]? content)
        {
            if (rest.StartsWith("homedir/", StringComparison.Ordinal) || rest == "homedir")
            {
                HasHome = true;
                Home(rest.Length > 8 ? rest[8..] : "", entry);
                return;
            }

            var parts = rest.Split('/');
            switch (parts)
            {
                case ["cp", var user] when entry.Kind == WalkEntryKind.File:
                    User = user;
                    _dnsDomain = KeyValues(content).GetValueOrDefault("DNS");
                    break;
                case ["version"] when content is not null:
                    Version = Encoding.UTF8.GetString(content).Split('\n')[0].Trim() is { Length: > 0 and < 100 } v ? v.Replace(" version:", "", StringComparison.Ordinal) : null;
                    break;
                case ["userdata", ..]:
                    HasUserdata = true;
                    if (parts is [_, "main"]) ReadUserdataMain(content);
                    break;
                case ["mysql", var dump] when dump.EndsWith(".sql", StringComparison.Ordinal) && entry.Kind == WalkEntryKind.File:
                    _databases.Add(new ImportDatabasePreview("mysql", dump[..^4], entry.Size, "sql", entry.Path));
                    break;
                case ["psql", var dump] when entry.Kind == WalkEntryKind.File:
                    if (dump.EndsWith(".tar", StringComparison.Ordinal)) _databases.Add(new ImportDatabasePreview("postgresql", dump[..^4], entry.Size, "pg_dump-tar", entry.Path));
                    else if (dump.EndsWith(".sql", StringComparison.Ordinal)) _databases.Add(new ImportDatabasePreview("postgresql", dump[..^4], entry.Size, "sql", entry.Path));
                    else _notImported.Add($"the PostgreSQL dump psql/{dump} (psql/NAME.tar or psql/NAME.sql are imported)");
                    break;
                case ["mysql.sql"]:
                    _grantsWarning = GrantsWarning(content);
                    break;
                case ["dnszones", _, ..]:
                    _notImported.Add("DNS zones (dnszones/)");
                    break;
                case ["ssl" or "sslkeys" or "sslcerts", _, ..]:
                    _notImported.Add("SSL keys and certificates");
                    break;
                case ["cron", _, ..]:
                    _notImported.Add("cron jobs (cron/)");
                    break;
                case ["proftpdpasswd" or "ftp" or "pure-ftpd", ..]:
                    _notImported.Add("FTP accounts");
                    break;
            }
        }

        private void Home(string inside, WalkEntry entry)
        {
            if (inside.StartsWith("mail/", StringComparison.Ordinal))
            {
                Mail(inside[5..], entry);
            }
            else if (entry.Kind == WalkEntryKind.File && inside.Length > 0 && !NotWebContent.Any(p => inside.StartsWith(p, StringComparison.Ordinal)))
            {
                _files++;
                _fileBytes += entry.Size;
            }
        }

        private void Mail(string inside, WalkEntry entry)
        {
            var parts = inside.Split('/');
            if (parts is ["cur" or "new", _] && entry.Kind == WalkEntryKind.File)
            {
                _ownMailbox++;
            }
            else if (parts is [var domain, var user, "storage" or "mdbox", ..])
            {
                _mdbox.Add($"{user}@{domain}");
            }
            else if (parts is [var d, var u, "cur" or "new" or "tmp", ..] && !d.StartsWith('.') && !u.StartsWith('.'))
            {
                _mail.Add($"{u}@{d}", $"{Top}/homedir/mail/{d}/{u}/", entry);
            }
        }

        public ImportDomainPreview Preview(List<string> warnings)
        {
            var name = _mainDomain ?? _dnsDomain ?? User!;
            warnings.AddRange(_notImported.Select(n => $"{name}: {n} — not imported."));
            if (_grantsWarning is not null) warnings.Add($"{name}: {_grantsWarning}");
            if (_addons.Count > 0) warnings.Add($"{name}: addon domains ({string.Join(", ", _addons)}) are not made domains of their own; their files come along in {name}'s files.");
            if (_mdbox.Count > 0) warnings.Add($"{name}: mailboxes in mdbox format are not imported (only Maildir): {string.Join(", ", _mdbox)}.");
            if (_ownMailbox > 0) warnings.Add($"{name}: the account's own mailbox (homedir/mail/cur and new, {_ownMailbox} message(s)) is not imported; mailboxes under mail/DOMAIN/USER are.");
            return new ImportDomainPreview
            {
                Name = name, Files = _files, FileBytes = _fileBytes, FilesSource = $"{Top}/homedir/", FilesExcluded = NotWebContent,
                Databases = _databases.OrderBy(d => d.Name, StringComparer.Ordinal).ToList(), Mailboxes = _mail.Mailboxes(),
            };
        }

        private void ReadUserdataMain(byte[]? content)
        {
            var inAddons = false;
            foreach (var line in Encoding.UTF8.GetString(content ?? []).Split('\n'))
            {
                if (line.StartsWith("main_domain:", StringComparison.Ordinal)) _mainDomain = line[12..].Trim().Trim('\'', '"');
                else if (!line.StartsWith(' ')) inAddons = line.StartsWith("addon_domains:", StringComparison.Ordinal);
                else if (inAddons && line.Trim().Split(':')[0].Trim() is { Length: > 0 } addon) _addons.Add(addon);
            }
        }

        private static Dictionary<string, string> KeyValues(byte[]? content) =>
            Encoding.UTF8.GetString(content ?? []).Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);

        private static string GrantsWarning(byte[]? content)
        {
            var text = Encoding.UTF8.GetString(content ?? []);
            var grants = GrantLine().Count(text);
            var old = OldGrant().Count(text);
            return $"MySQL users and grants (mysql.sql, {grants} GRANT statements) are not imported: create the users on the new server."
                + (old > 0 ? $" {old} of them use GRANT … IDENTIFIED BY, which MySQL 8 refuses." : "");
        }
    }
}
