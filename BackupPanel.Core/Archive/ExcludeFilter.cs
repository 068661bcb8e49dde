using System.Text;
using System.Text.RegularExpressions;

namespace BackupPanel.Core.Archive;

/// <summary>
/// Exclude globs for a files root, in the rsync/.gitignore spirit: <c>*</c> matches within one name, <c>**</c>
/// across folders, <c>?</c> one character. A pattern without '/' matches a name at any depth (<c>*.log</c>,
/// <c>node_modules</c>); a pattern with '/' is anchored at the root (<c>wp-content/cache</c>, <c>logs/**/*.gz</c>).
/// A trailing '/' matches folders only. An excluded folder is skipped with everything in it.
/// </summary>
public sealed class ExcludeFilter
{
    /// <summary>At most this many patterns are accepted.</summary>
    public const int MaxPatterns = 200;

    private readonly List<(Regex Pattern, bool DirectoryOnly)> _rules = [];

    /// <summary>Compiles the patterns; throws <see cref="ArgumentException"/> naming a pattern that cannot be used.</summary>
    public ExcludeFilter(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var raw in patterns.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (_rules.Count == MaxPatterns)
            {
                throw new ArgumentException($"At most {MaxPatterns} exclude patterns are allowed.", nameof(patterns));
            }

            if (raw.Length > 500 || raw.Any(char.IsControl) || raw.Split('/').Any(s => s == ".."))
            {
                throw new ArgumentException($"The exclude pattern '{Truncate(raw)}' is not allowed (too long, control characters or '..').", nameof(patterns));
            }

            var directoryOnly = raw.EndsWith('/');
            var body = raw.Trim('/');
            if (body.Length == 0)
            {
                throw new ArgumentException("The exclude pattern '/' would exclude everything.", nameof(patterns));
            }

            var anchored = raw.TrimEnd('/').Contains('/', StringComparison.Ordinal);
            var regex = (anchored ? "^" : "^(?:.*/)?") + Translate(body) + "$";
            _rules.Add((new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), directoryOnly));
        }
    }

    /// <summary>No patterns.</summary>
    public static ExcludeFilter None { get; } = new([]);

    /// <summary>Whether the path (relative to the root, '/'-separated) is excluded.</summary>
    public bool IsExcluded(string relativePath, bool isDirectory) =>
        _rules.Any(r => (isDirectory || !r.DirectoryOnly) && r.Pattern.IsMatch(relativePath));

    private static string Translate(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a bare "**" matches anything.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                sb.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            }
        }

        return sb.ToString();
    }

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
