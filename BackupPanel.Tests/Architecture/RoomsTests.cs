using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Architecture;

/// <summary>
/// The rooms of Core as docs/ARCHITECTURE.md draws them, checked on the sources: no two rooms use each other (the
/// catalog, Data, excepted), the libraries know no feature, every reference is the one the page lists, and every
/// namespace is its folder.
/// </summary>
public sealed class RoomsTests
{
    /// <summary>The one room that may know every other, by design: EF's DbContext names each room's entities.</summary>
    private const string Catalog = "Data";

    private static readonly string[] Libraries = ["Storage", "Archive", "Databases", "Runs", "Schedules", "(root)"];

    private static CoreRooms Rooms => CoreRooms.Current;

    [Fact]
    public void Read_EveryNameResolves_SoNoReferenceIsMissed()
    {
        Assert.Empty(Rooms.Unresolved);
        Assert.True(Rooms.References.Count >= 18, $"only {Rooms.References.Count} rooms read");
    }

    [Fact]
    public void References_NoTwoRoomsUseEachOther_ButTheCatalog()
    {
        var twoWay = Rooms.References.SelectMany(r => r.Value.Where(to => Uses(to, r.Key)).Select(to => (From: r.Key, To: to)))
            .Where(p => p.From != Catalog && p.To != Catalog && string.CompareOrdinal(p.From, p.To) < 0)
            .Select(p => $"{p.From} ⇄ {p.To}: {Why(p.From, p.To)} / {Why(p.To, p.From)}").ToList();

        Assert.True(twoWay.Count == 0, string.Join("\n", twoWay));
    }

    [Fact]
    public void References_LibrariesKnowNoFeature()
    {
        var wrong = Libraries.SelectMany(library => Rooms.References.GetValueOrDefault(library, [])
            .Where(to => !Libraries.Contains(to) && to != Catalog).Select(to => $"{library} → {to}: {Why(library, to)}")).ToList();

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void References_AreExactlyTheOnesDocumented()
    {
        var documented = Documented();

        var undocumented = Rooms.References.SelectMany(r => r.Value.Where(to => !documented.GetValueOrDefault(r.Key, []).Contains(to))
            .Select(to => $"{r.Key} → {to} is in the code but not in docs/ARCHITECTURE.md: {Why(r.Key, to)}"));
        var stale = documented.SelectMany(d => d.Value.Where(to => !Uses(d.Key, to)).Select(to => $"{d.Key} → {to} is in docs/ARCHITECTURE.md but not in the code"));
        var unknownRooms = Rooms.References.Keys.Except(documented.Keys).Select(room => $"the room {room} is not in docs/ARCHITECTURE.md");
        var problems = undocumented.Concat(stale).Concat(unknownRooms).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Namespaces_AreTheirFolders()
    {
        var wrong = Rooms.Namespaces
            .Where(f => f.Namespace != "BackupPanel.Core" + string.Concat((Path.GetDirectoryName(f.File) ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => "." + p)))
            .Select(f => $"{f.File}: {f.Namespace}").ToList();

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static bool Uses(string from, string to) => Rooms.References.TryGetValue(from, out var set) && set.Contains(to);

    private static string Why(string from, string to) =>
        Rooms.Examples.TryGetValue($"{from} → {to}", out var uses) ? string.Join(", ", uses) : "";

    /// <summary>The "Room | Owns | May use" table between the rooms markers of docs/ARCHITECTURE.md.</summary>
    private static Dictionary<string, HashSet<string>> Documented()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "ARCHITECTURE.md"));
        var start = text.IndexOf("<!-- rooms:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- rooms:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/ARCHITECTURE.md has no rooms table");
        return text[start..end].Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Room", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(c => c[1], c => c[3] == "—" ? [] : c[3].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }
}
