using BackupPanel.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackupPanel.Tests.Architecture;

/// <summary>
/// Which room of BackupPanel.Core (a top folder; "(root)" for the files beside them) uses which, read from the sources
/// with the compiler: every name a file uses is resolved, and the room of the type it belongs to is a reference. So a
/// partly qualified name (<c>Notifications.NotificationJob</c> inside another room) counts as much as a using.
/// </summary>
public sealed class CoreRooms
{
    private CoreRooms(Dictionary<string, SortedSet<string>> references, Dictionary<string, List<string>> examples, List<string> unresolved, List<(string File, string Namespace)> namespaces)
    {
        References = references;
        Examples = examples;
        Unresolved = unresolved;
        Namespaces = namespaces;
    }

    /// <summary>Read once per test run: compiling Core's sources takes a few seconds.</summary>
    public static CoreRooms Current { get; } = Read();

    /// <summary>Each room and the rooms it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> References { get; }

    /// <summary>For each "from → to", a few of the uses (file: type.member), to say why a reference exists.</summary>
    public IReadOnlyDictionary<string, List<string>> Examples { get; }

    /// <summary>Names the compiler could not resolve (each would hide a reference).</summary>
    public IReadOnlyList<string> Unresolved { get; }

    /// <summary>Each source file (relative to Core) and the namespace it declares.</summary>
    public IReadOnlyList<(string File, string Namespace)> Namespaces { get; }

    private static CoreRooms Read()
    {
        var core = Path.Combine(TestPaths.RepositoryRoot, "BackupPanel.Core");
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/Migrations/", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f)).ToList();
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
            options);
        var compilation = CSharpCompilation.Create("Core", [.. trees, implicitUsings], MetadataReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var unresolved = compilation.GetDiagnostics().Where(d => d.Id is "CS0246" or "CS0234" or "CS0103").Select(d => d.ToString()).ToList();

        var references = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var examples = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var namespaces = new List<(string, string)>();
        foreach (var tree in trees)
        {
            var file = Path.GetRelativePath(core, tree.FilePath);
            var from = file.Contains('/', StringComparison.Ordinal) ? file[..file.IndexOf('/', StringComparison.Ordinal)] : "(root)";
            references.TryAdd(from, new SortedSet<string>(StringComparer.Ordinal));
            var root = tree.GetRoot();
            namespaces.Add((file, root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString() ?? ""));
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (RoomOf(model, name) is not (string to, string use) || to == from)
                {
                    continue;
                }

                references[from].Add(to);
                var list = examples.TryGetValue($"{from} → {to}", out var l) ? l : examples[$"{from} → {to}"] = [];
                if (list.Count < 5 && !list.Contains($"{Path.GetFileName(file)}: {use}"))
                {
                    list.Add($"{Path.GetFileName(file)}: {use}");
                }
            }
        }

        return new CoreRooms(references, examples, unresolved, namespaces);
    }

    /// <summary>The room of the type behind <paramref name="name"/> (a type, or a member's declaring type), when it is one of Core's.</summary>
    private static (string Room, string Use)? RoomOf(SemanticModel model, SimpleNameSyntax name)
    {
        var info = model.GetSymbolInfo(name);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        if (symbol is null or INamespaceSymbol)
        {
            return null;
        }

        var type = symbol as INamedTypeSymbol ?? (symbol as IMethodSymbol)?.ReducedFrom?.ContainingType ?? symbol.ContainingType;
        while (type?.ContainingType is not null)
        {
            type = type.ContainingType;
        }

        var ns = type?.ContainingNamespace?.ToDisplayString() ?? "";
        if (!ns.StartsWith("BackupPanel.Core", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = ns.Split('.');
        return (parts.Length > 2 ? parts[2] : "(root)", symbol is INamedTypeSymbol ? type!.Name : $"{type!.Name}.{symbol.Name}");
    }

    /// <summary>The assemblies Core compiles against: the shared frameworks the test runs on, and the packages beside it.</summary>
    private static List<MetadataReference> MetadataReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var packages = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return [.. platform.Concat(packages).Where(f => !Path.GetFileName(f).StartsWith("BackupPanel", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName).Select(g => MetadataReference.CreateFromFile(g.First()))];
    }
}
