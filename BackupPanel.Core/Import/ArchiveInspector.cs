using Microsoft.Extensions.Options;

namespace BackupPanel.Core.Import;

/// <summary>
/// Tells which panel made an archive, by its content (never its name): one streaming pass shows every entry to the
/// cPanel, Virtualmin and Plesk scanners; exactly one must recognize it. Returns the preview, or refuses with what was
/// found. Reads only; safe on hostile input (<see cref="ArchiveWalker"/>).
/// </summary>
public sealed class ArchiveInspector(IOptions<ImportOptions> options)
{
    /// <summary>Metadata files are read up to this size (larger ones are cut there).</summary>
    private const int ContentLimit = 8 << 20;

    public ImportPreview Inspect(string path, CancellationToken ct)
    {
        IFormatScanner[] scanners = [new CPanelScanner(), new VirtualminScanner(), new PleskScanner()];
        var top = new SortedSet<string>(StringComparer.Ordinal);
        long entries = 0;
        var walk = new ArchiveWalker(options.Value).Walk(path, p => scanners.Any(s => s.Descend(p)), (entry, data) =>
        {
            entries++;
            if (top.Count < 20) top.Add(entry.Path.Split('/')[0] + (entry.Path.Contains('/', StringComparison.Ordinal) ? "/" : ""));
            var content = data is not null && scanners.Any(s => s.WantsContent(entry.Path)) ? ReadSome(data) : null;
            foreach (var scanner in scanners)
            {
                scanner.Visit(entry, content);
            }
        }, ct);

        var matches = scanners.Where(s => s.IsMatch).ToList();
        if (matches.Count == 1)
        {
            return matches[0].Preview(walk);
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        if (matches.Count > 1)
        {
            throw new ImportRefusedException($"{name} looks like more than one kind of archive: "
                + string.Join("; ", matches.Select(m => $"{m.Format} ({string.Join(", ", m.Markers.Take(3))})")) + ". Refused: split it, one panel's export per archive.");
        }

        var partial = scanners.Where(s => s.Markers.Count > 0).Select(s => $" Partial {s.Format} markers: {string.Join(", ", s.Markers.Take(3))}.");
        throw new ImportRefusedException($"{name} is a {walk.Compression} archive with {entries:N0} entries, but not one of cPanel, Virtualmin or Plesk. "
            + $"At its top: {(top.Count == 0 ? "nothing" : string.Join(", ", top))}.{string.Concat(partial)} Expected: cPanel's cp/USER with homedir, "
            + "Virtualmin's DOMAIN_virtualmin, or Plesk's backup_info_*.xml (migration-dump).");
    }

    /// <summary>Which nested archives of <paramref name="format"/> are read in place (for the import's own walks).</summary>
    internal static Func<string, bool> DescendFor(string format)
    {
        IFormatScanner scanner = format switch
        {
            "cPanel" => new CPanelScanner(),
            "Virtualmin" => new VirtualminScanner(),
            "Plesk" => new PleskScanner(),
            _ => throw new ImportRefusedException($"Unknown archive format {format}."),
        };
        return scanner.Descend;
    }

    private static byte[] ReadSome(Stream data)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length < ContentLimit && data.Read(chunk, 0, (int)Math.Min(chunk.Length, ContentLimit - buffer.Length)) is > 0 and var n)
        {
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}
