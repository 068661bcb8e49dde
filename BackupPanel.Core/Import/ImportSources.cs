using System.Formats.Tar;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Import;

/// <summary>
/// The components of one domain's imported backup, produced straight from the archive: the web files and the
/// mailboxes as tars (entries renamed under their new roots, links that would point out skipped with a warning), each
/// database dump as it is (a Plesk content file decompressed), and the original archive byte for byte. Each
/// component is one streaming walk of the archive; nested archives are read in place.
/// </summary>
internal sealed class ImportSources(ImportOptions options, string archivePath, string format, List<string> warnings)
{
    private readonly Func<string, bool> _descend = ArchiveInspector.DescendFor(format);
    private long _specialBitsDropped;

    public List<PlannedComponent> Plan(ImportDomainPreview domain, IReadOnlyDictionary<string, string> databaseNames, bool keepOriginal)
    {
        var plan = new List<PlannedComponent>();
        if (domain.Files > 0)
        {
            plan.Add(new(ArchiveLayout.FilesKind, null, "files", (s, ct) => TreeAsync(s, [(domain.FilesSource, "")], domain.FilesExcluded, ct)));
        }

        foreach (var database in domain.Databases)
        {
            var kind = database.Engine == "postgresql" ? ArchiveLayout.PostgreSqlKind : ArchiveLayout.MySqlKind;
            var target = databaseNames[ImportRequest.DatabaseKey(database.Engine, database.Name)];
            plan.Add(new(kind, target, $"database {target}", (s, ct) => DumpAsync(database.Source, s, ct)));
        }

        if (domain.Mailboxes.Count > 0)
        {
            var boxes = domain.Mailboxes.Select(m => (m.Source, m.Address.Split('@')[0] + "/")).ToList();
            plan.Add(new(ArchiveLayout.MailKind, null, "mail", (s, ct) => TreeAsync(s, boxes, [], ct)));
        }

        if (keepOriginal && File.Exists(archivePath))
        {
            plan.Add(new(ArchiveLayout.OriginalKind, null, "original archive", (s, ct) => CopyOriginalAsync(s, ct)));
        }
        else if (keepOriginal)
        {
            warnings.Add("The source is a folder, not an archive file: there is no original archive to keep.");
        }

        return plan;
    }

    private Task<long?> TreeAsync(Stream output, IReadOnlyList<(string Source, string Target)> roots, IReadOnlyList<string> excluded, CancellationToken ct)
    {
        long entries = 0;
        _specialBitsDropped = 0;
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            var walk = new ArchiveWalker(options).Walk(archivePath, _descend, (entry, data) =>
            {
                foreach (var (source, target) in roots)
                {
                    if (entry.Under(source) is { } relative && !excluded.Any(x => relative.StartsWith(x, StringComparison.Ordinal) || relative + "/" == x))
                    {
                        entries += Write(writer, entry, data, source, target, relative) ? 1 : 0;
                        break;
                    }
                }
            }, ct);
            foreach (var warning in walk.Warnings.Where(w => roots.Any(r => w.Contains(r.Source, StringComparison.Ordinal))))
            {
                Warn(warning); // what the walk skipped in this component (links out, devices, bad names)
            }
        }

        if (_specialBitsDropped > 0)
        {
            Warn($"setuid/setgid dropped on {_specialBitsDropped:N0} imported entries: imported files never keep them.");
        }

        return Task.FromResult<long?>(entries);
    }

    /// <summary>Writes one entry as <paramref name="target"/> + <paramref name="relative"/>; false when it was skipped (a link out of what is imported).</summary>
    private bool Write(TarWriter writer, WalkEntry entry, Stream? data, string source, string target, string relative)
    {
        var name = target + relative;
        entry = WithoutSpecialBits(entry);
        switch (entry.Kind)
        {
            case WalkEntryKind.Directory:
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = entry.Mode, ModificationTime = entry.Modified });
                return true;
            case WalkEntryKind.File:
                using (var known = new KnownLengthStream(data!, entry.Size))
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = entry.Mode, ModificationTime = entry.Modified, DataStream = known });
                }

                return true;
            case WalkEntryKind.SymbolicLink when ArchivePath.LinkStaysInside(name, entry.LinkTarget!):
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = entry.LinkTarget!, ModificationTime = entry.Modified });
                return true;
            case WalkEntryKind.HardLink when entry.LinkTarget!.StartsWith(source, StringComparison.Ordinal):
                // A hard link names another entry of the archive: the same one under its new name.
                writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target + entry.LinkTarget[source.Length..] });
                return true;
            default:
                Warn($"Skipped {entry.Path}: a link to {ArchivePath.Shorten(entry.LinkTarget ?? "")}, outside what is imported.");
                return false;
        }
    }

    /// <summary>
    /// Imported entries are written with no owner (uid and gid 0), which a restore into a domain gives to the domain's
    /// owner, and never with setuid or setgid (counted for the log).
    /// </summary>
    private WalkEntry WithoutSpecialBits(WalkEntry entry)
    {
        const UnixFileMode Special = UnixFileMode.SetUser | UnixFileMode.SetGroup;
        if ((entry.Mode & Special) == 0)
        {
            return entry;
        }

        _specialBitsDropped++;
        return entry with { Mode = entry.Mode & ~Special };
    }

    private Task<long?> DumpAsync(string source, Stream output, CancellationToken ct)
    {
        var found = false;
        try
        {
            new ArchiveWalker(options).Walk(archivePath, _descend, (entry, data) =>
            {
                if (entry.Path != source || data is null)
                {
                    return;
                }

                found = true;
                CopyDump(data, output, source);
                throw new StopWalk();
            }, ct);
        }
        catch (StopWalk)
        {
            // the dump was copied; the rest of the archive is not needed
        }

        return found ? Task.FromResult<long?>(null) : throw new RunFailedException($"The dump {source} is not in the archive any more.");
    }

    /// <summary>A dump as it is, or, for a compressed content file (Plesk), its content: the decompressed stream, or the first file of the tar inside.</summary>
    private void CopyDump(Stream data, Stream output, string source)
    {
        var head = HeadStream.Peek(data, ArchiveCompression.MaxZstdOffset + 4096);
        var kind = ArchiveCompression.Detect(head);
        if (kind is null || kind.Value.Kind == ArchiveCompression.None && !source.Contains("/databases/", StringComparison.Ordinal))
        {
            using var raw = new HeadStream(head, 0, data, leaveOpen: true);
            raw.CopyTo(output); // a plain dump (SQL, pg_dump custom or tar): as it is
            return;
        }

        var packed = new CountingStream(new HeadStream(head, kind.Value.Offset, data, leaveOpen: true), leaveOpen: true);
        using var unpacked = new UnpackGuard(options).Watch(ArchiveCompression.Open(packed, kind.Value.Kind), packed, source);
        var inner = HeadStream.Peek(unpacked, 512);
        using var content = new HeadStream(inner, 0, unpacked, leaveOpen: true);
        if (!ArchiveCompression.LooksLikeTar(inner))
        {
            content.CopyTo(output);
            return;
        }

        using var reader = new TarReader(content, leaveOpen: true);
        var file = reader.GetNextEntry() is { DataStream: { } stream } ? stream : throw new RunFailedException($"The content file {source} holds no dump.");
        file.CopyTo(output);
    }

    private async Task<long?> CopyOriginalAsync(Stream output, CancellationToken ct)
    {
        var file = DirectoryHandle.OpenRealFile(archivePath, 1 << 20);
        await using var fileScope = file.ConfigureAwait(false);
        await file.CopyToAsync(output, ct).ConfigureAwait(false);
        return null;
    }

    private void Warn(string warning)
    {
        lock (warnings)
        {
            if (warnings.Count < 200 && !warnings.Contains(warning)) warnings.Add(warning);
        }
    }

    private sealed class StopWalk : Exception;
}
