namespace BackupPanel.Cli;

/// <summary>Tiny "--name value" parser for the command-line verbs; repeated options collect every value.</summary>
internal sealed class CommandLineArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLineArgs() { }

    /// <summary>Parses; throws <see cref="ArgumentException"/> for unknown options or a missing value.</summary>
    public static CommandLineArgs Parse(IReadOnlyList<string> args, IReadOnlySet<string> options, IReadOnlySet<string> flags)
    {
        var parsed = new CommandLineArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (flags.Contains(name))
            {
                parsed._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                if (!parsed._values.TryGetValue(name, out var list))
                {
                    parsed._values[name] = list = [];
                }

                list.Add(args[++i]);
            }
            else
            {
                throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return parsed;
    }

    public string Required(string name) =>
        Optional(name) ?? throw new ArgumentException($"{name} is required.");

    public string? Optional(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public bool Flag(string name) => _flags.Contains(name);
}
