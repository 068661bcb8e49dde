using BackupPanel.Core.Data;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Security.Paths;

/// <summary>The panel's data folder, and the roots a new install starts with besides the defaults (from the configuration).</summary>
/// <param name="DataDirectory">Where the panel keeps its state: never a domain's folder.</param>
/// <param name="InitialDataRoots">Added to <see cref="PathRules.DefaultDataRoots"/> on a new install.</param>
/// <param name="InitialDestinationRoots">Added to the data folder's <c>backups/</c> on a new install.</param>
/// <param name="InitialPrivateAddresses">Private addresses webhooks and pings may call, on a new install (none by default).</param>
public sealed record PathGuardOptions(string DataDirectory, IReadOnlyList<string> InitialDataRoots, IReadOnlyList<string> InitialDestinationRoots,
    IReadOnlyList<string> InitialPrivateAddresses);

/// <summary>
/// The folders the panel already uses for <see cref="Use"/> (domains' roots, local destinations): what an upgrade adds to
/// the lists. Each room that keeps such paths offers one, so this room needs none of them.
/// </summary>
public interface IPathsInUse
{
    PathUse Use { get; }

    Task<IReadOnlyList<string>> ListAsync(BackupPanelDbContext db, CancellationToken ct);
}

/// <summary>The allowed roots form: one folder per line.</summary>
public sealed class AllowedRootsInput
{
    public string DataRoots { get; set; } = "";
    public string DestinationRoots { get; set; } = "";
    public string PrivateAddresses { get; set; } = "";

    public static AllowedRootsInput From(AllowedRoots roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return new()
        {
            DataRoots = string.Join('\n', roots.DataRoots), DestinationRoots = string.Join('\n', roots.DestinationRoots),
            PrivateAddresses = string.Join('\n', roots.PrivateAddresses),
        };
    }
}

/// <summary>
/// Keeps the allowed roots (Admin, audited) and checks paths against them. Services call <see cref="CheckAsync"/> when a
/// path is saved, and runs call it again before they read or write, so a list shortened since still holds.
/// </summary>
public sealed class PathGuard(
    IDbContextFactory<BackupPanelDbContext> dbFactory, PathGuardOptions options, IEnumerable<IPathsInUse> inUse, AuditService audit, TimeProvider clock)
{
    /// <summary>The lists (made on first use: the defaults, plus on an upgrade what the panel already uses).</summary>
    public async Task<AllowedRoots> GetAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.AllowedRoots.AsNoTracking().SingleOrDefaultAsync(ct).ConfigureAwait(false) ?? await CreateAsync(db, ct).ConfigureAwait(false);
    }

    /// <summary>Why <paramref name="path"/> may not be used for <paramref name="use"/>, or null when it may (or is empty).</summary>
    public async Task<string?> CheckAsync(string? path, PathUse use, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var roots = await GetAsync(ct).ConfigureAwait(false);
        return PathRules.Check(path, use, roots.For(use), options.DataDirectory);
    }

    /// <summary>Like <see cref="CheckAsync"/>, for runs: throws <see cref="UnauthorizedAccessException"/> with the reason.</summary>
    public async Task RequireAsync(string? path, PathUse use, CancellationToken ct)
    {
        if (await CheckAsync(path, use, ct).ConfigureAwait(false) is { } error)
        {
            throw new UnauthorizedAccessException(error);
        }
    }

    /// <summary>Saves both lists (Admin only); every folder absolute, not forbidden, at most 100 per list.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(AllowedRootsInput input, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!actor.IsAdmin)
        {
            errors[nameof(AllowedRootsInput.DataRoots)] = "Only an Admin can change the allowed roots.";
            return errors;
        }

        var data = Parse(input.DataRoots, PathUse.Data, nameof(AllowedRootsInput.DataRoots), errors);
        var destinations = Parse(input.DestinationRoots, PathUse.Destination, nameof(AllowedRootsInput.DestinationRoots), errors);
        var addresses = ParseAddresses(input.PrivateAddresses, errors);
        if (errors.Count > 0)
        {
            return errors;
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var roots = await db.AllowedRoots.SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (roots is null)
        {
            await CreateAsync(db, ct).ConfigureAwait(false);
            roots = await db.AllowedRoots.SingleAsync(ct).ConfigureAwait(false);
        }

        (roots.DataRoots, roots.DestinationRoots, roots.PrivateAddresses, roots.UpgradeNote, roots.UpdatedAt) = (data, destinations, addresses, null, clock.GetUtcNow());
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.AllowedRootsChanged, AuditOutcome.Success, "allowed-roots", "security",
            $"domain folders: {string.Join(", ", data)}; local destinations: {string.Join(", ", destinations)}; private addresses: {string.Join(", ", addresses)}", ct).ConfigureAwait(false);
        return errors;
    }

    private static List<string> ParseAddresses(string? text, Dictionary<string, string> errors)
    {
        var entries = (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var field = nameof(AllowedRootsInput.PrivateAddresses);
        if (entries.Count > 100 || text?.Length > 20_000)
        {
            errors[field] = "At most 100 entries.";
            return [];
        }

        foreach (var entry in entries)
        {
            var ok = System.Net.IPAddress.TryParse(entry, out _) || (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out _))
                || Uri.CheckHostName(entry) == UriHostNameType.Dns;
            if (!ok || entry.Length > 253)
            {
                errors[field] = $"'{Clip(entry)}' is not an address, a network such as 10.0.0.0/8, or a host name.";
                return [];
            }
        }

        return entries;
    }

    private List<string> Parse(string text, PathUse use, string field, Dictionary<string, string> errors)
    {
        var folders = (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (folders.Count > 100 || text?.Length > 100_000)
        {
            errors[field] = "At most 100 folders.";
            return [];
        }

        var result = new List<string>();
        foreach (var folder in folders)
        {
            if (folder.Length > 4096 || folder.Any(char.IsControl) || !Path.IsPathFullyQualified(folder) || folder.Split('/').Contains(".."))
            {
                errors[field] = $"'{Clip(folder)}' is not an absolute folder (without '..').";
                return [];
            }

            var normal = PathRules.Normalize(folder);
            if (PathRules.ForbiddenReason(PathRules.Resolve(normal), use, options.DataDirectory) is { } reason)
            {
                errors[field] = $"{Clip(normal)} can never be allowed: {reason}.";
                return [];
            }

            if (!result.Contains(normal))
            {
                result.Add(normal);
            }
        }

        return result;
    }

    /// <summary>
    /// The first row: the defaults and the configured extras; on an upgrade (domains or local destinations exist) also the
    /// folders they use, so they keep working, with a note for the Admin naming them and any that can never be allowed.
    /// </summary>
    private async Task<AllowedRoots> CreateAsync(BackupPanelDbContext db, CancellationToken ct)
    {
        var roots = new AllowedRoots
        {
            DataRoots = [.. PathRules.DefaultDataRoots.Concat(options.InitialDataRoots).Select(PathRules.Normalize).Distinct()],
            DestinationRoots = [.. new[] { PathRules.DefaultDestinationRoot(options.DataDirectory) }.Concat(options.InitialDestinationRoots).Select(PathRules.Normalize).Distinct()],
            PrivateAddresses = [.. options.InitialPrivateAddresses],
            UpdatedAt = clock.GetUtcNow(),
        };
        var used = new List<(string Path, PathUse Use)>();
        foreach (var source in inUse)
        {
            used.AddRange((await source.ListAsync(db, ct).ConfigureAwait(false)).Select(p => (p, source.Use)));
        }

        var added = new List<string>();
        var refused = new List<string>();
        foreach (var (path, use) in used)
        {
            var list = use == PathUse.Data ? roots.DataRoots : roots.DestinationRoots;
            var resolved = PathRules.Resolve(path);
            if (list.Any(root => PathRules.IsSameOrUnder(resolved, PathRules.Resolve(root))))
            {
                continue;
            }

            if (PathRules.ForbiddenReason(resolved, use, options.DataDirectory) is { } reason)
            {
                refused.Add($"{path} ({reason})");
                continue;
            }

            list.Add(resolved);
            added.Add(resolved);
        }

        if (added.Count + refused.Count > 0)
        {
            roots.UpgradeNote = string.Join(" ", new[]
            {
                added.Count > 0 ? $"Added on upgrade so that what the panel used keeps working: {string.Join(", ", added)}. Narrow them if you can." : null,
                refused.Count > 0 ? $"In use but never allowed, so backups and restores of them now stop with an error: {string.Join(", ", refused)}. Move them." : null,
            }.OfType<string>());
        }

        db.AllowedRoots.Add(roots);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another node or request made it at the same moment: theirs stands.
            db.ChangeTracker.Clear();
            return await db.AllowedRoots.AsNoTracking().SingleAsync(ct).ConfigureAwait(false);
        }

        return roots;
    }

    private static string Clip(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
