using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BackupPanel.Core.Archive;

/// <summary>
/// <c>manifest.json</c>, written last into a backup folder: its presence commits the backup. Documented field by
/// field in docs/FORMAT.md. Holds checksums and public keys, never a secret.
/// </summary>
public sealed partial record ArchiveManifest
{
    /// <summary>The file name in every backup folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "backuppanel-archive";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private const int MaxBytes = 1 << 20;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Format version (1).</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The backup's id (also in the folder name).</summary>
    public Guid BackupId { get; init; }

    /// <summary>The domain's name.</summary>
    public string Domain { get; init; } = "";

    /// <summary>Full, Files, Database or Email.</summary>
    public string Type { get; init; } = "";

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the last component was stored (UTC).</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>What wrote it, e.g. "BackupPanel 0.1.0".</summary>
    public string Tool { get; init; } = "";

    /// <summary>The components, in the order they were written.</summary>
    public IReadOnlyList<ArchiveComponent> Components { get; init; } = [];

    /// <summary>
    /// The JSON bytes, UTF-8, indented. Written field by field rather than by the serializer: a serializer's first use
    /// costs ≈ 40–60 ms of start-up, a sixtieth of a 1 GiB command-line backup (docs/PERFORMANCE.md). The reading side
    /// uses the serializer; a test holds both to the shape docs/FORMAT.md documents.
    /// </summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("backupId", BackupId);
            json.WriteString("domain", Domain);
            json.WriteString("type", Type);
            json.WriteString("startedAt", StartedAt);
            json.WriteString("finishedAt", FinishedAt);
            json.WriteString("tool", Tool);
            json.WriteStartArray("components");
            foreach (var c in Components)
            {
                c.WriteJson(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses and checks a manifest; throws <see cref="ArchiveCorruptException"/> saying what is wrong.</summary>
    public static ArchiveManifest Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes)
        {
            throw new ArchiveCorruptException(FileName, "is larger than 1 MiB; it is not a BackupPanel manifest");
        }

        ArchiveManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJson.Default.ArchiveManifest);
        }
        catch (JsonException ex)
        {
            throw new ArchiveCorruptException(FileName, $"is not valid JSON ({ex.Message})", ex);
        }

        return Check(manifest ?? throw new ArchiveCorruptException(FileName, "is empty"));
    }

    /// <summary>The backup types a manifest may name.</summary>
    private static readonly string[] Types = ["Full", "Files", "Database", "Email"];

    private static readonly string[] Kinds = [ArchiveLayout.FilesKind, ArchiveLayout.MailKind, ArchiveLayout.PostgreSqlKind, ArchiveLayout.MySqlKind, ArchiveLayout.OriginalKind];

    /// <summary>
    /// Strict: whatever a destination returns is hostile until proven otherwise, so every field is held to what a
    /// writer of this format produces, and anything else is refused with the reason (docs/FORMAT.md, "Reading").
    /// </summary>
    private static ArchiveManifest Check(ArchiveManifest m)
    {
        if (m.Format != FormatName || m.Version != CurrentVersion)
        {
            throw new ArchiveCorruptException(FileName, $"has format '{Printable(m.Format)}' version {m.Version}; this BackupPanel reads {FormatName} version {CurrentVersion}");
        }

        var problem = m switch
        {
            _ when m.Components is null || m.Components.Count == 0 => "lists no components",
            _ when m.Domain is null || HasControl(m.Domain) || m.Tool is null || HasControl(m.Tool) => "has no domain or tool, or a control character in one",
            _ when !Types.Contains(m.Type) => $"has an unknown backup type '{Printable(m.Type)}'",
            _ => m.Components.Select(CheckComponent).FirstOrDefault(p => p is not null) ?? Duplicates(m.Components),
        };
        return problem is null ? m : throw new ArchiveCorruptException(FileName, problem);
    }

    private static string? Duplicates(IReadOnlyList<ArchiveComponent> components) =>
        components.CountBy(c => c.Name).FirstOrDefault(g => g.Value > 1) is { Value: > 1 } twice
            ? $"lists the component {twice.Key} twice"
            : components.CountBy(c => (c.Kind, c.Database)).FirstOrDefault(g => g.Value > 1) is { Value: > 1 } same
                ? $"lists two {same.Key.Kind} components{(same.Key.Database is null ? "" : " of database " + same.Key.Database)}"
                : null;

    private static string? CheckComponent(ArchiveComponent? c)
    {
        if (c is null)
        {
            return "has an empty component";
        }

        var name = Printable(c.Name);
        var isTree = c.Kind is ArchiveLayout.FilesKind or ArchiveLayout.MailKind;
        var isDump = c.Kind is ArchiveLayout.PostgreSqlKind or ArchiveLayout.MySqlKind;
        return c switch
        {
            _ when c.Name is null || !SafeName().IsMatch(c.Name) => $"has a component with an invalid name ('{name}')",
            _ when !Kinds.Contains(c.Kind) => $"gives {name} an unknown kind '{Printable(c.Kind)}'",
            _ when isDump != (c.Database is not null) || (c.Database is { } db && (db.Length is 0 or > 255 || HasControl(db)))
                => $"gives {name} a database name that does not fit its kind {c.Kind}",
            _ when c.Compression != "zstd" => $"gives {name} an unknown compression '{Printable(c.Compression)}'",
            _ when c.Encryption is not ("age" or "none") => $"gives {name} an unknown encryption '{Printable(c.Encryption)}'",
            _ when c.Recipients is null || (c.Encryption == "age") != (c.Recipients.Count > 0) || c.Recipients.Any(r => !AgeRecipientText().IsMatch(r ?? ""))
                => $"gives {name} recipients that do not fit its encryption",
            _ when c.Name != ArchiveLayout.ComponentName(c.Kind, c.Database, c.Encryption == "age")
                => $"names a {c.Kind} component '{name}'; it would be called {ArchiveLayout.ComponentName(c.Kind, c.Database, c.Encryption == "age")}",
            _ when c.StoredSize < 0 || c.PlainSize < 0 => $"gives {name} a negative size",
            _ when !Sha256Hex().IsMatch(c.StoredSha256 ?? "") || !Sha256Hex().IsMatch(c.PlainSha256 ?? "") => $"gives {name} an invalid SHA-256",
            _ when c.Entries is { } entries && (!isTree || entries < 0) => $"gives {name} an entry count that does not fit its kind",
            _ => null,
        };
    }

    private static bool HasControl(string text) => text.Any(char.IsControl);

    /// <summary>A value from the manifest as it may be shown in a message: control characters escaped, at most 100 characters.</summary>
    private static string Printable(string? text) =>
        text is null ? "(none)" : string.Concat(text.Take(100).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    // \z, not $: in .NET '$' also matches before a final newline, which let "files.tar.zst\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\z")]
    private static partial Regex SafeName();

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex(@"^age1[02-9ac-hj-np-z]{58}\z")]
    private static partial Regex AgeRecipientText();
}

/// <summary>The manifest's JSON for reading, generated at build time (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ArchiveManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

/// <summary>One stored file of a backup.</summary>
public sealed record ArchiveComponent
{
    /// <summary>File name in the backup folder, e.g. <c>files.tar.zst.age</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>files, mail, postgresql or mysql.</summary>
    public string Kind { get; init; } = "";

    /// <summary>For database dumps: the database's name.</summary>
    public string? Database { get; init; }

    /// <summary>Size of the stored (compressed, maybe encrypted) bytes.</summary>
    public long StoredSize { get; init; }

    /// <summary>SHA-256 (hex) of the stored bytes: what <c>sha256sum</c> prints for the file.</summary>
    public string StoredSha256 { get; init; } = "";

    /// <summary>Size of the plain bytes (the tar or the dump) before compression.</summary>
    public long PlainSize { get; init; }

    /// <summary>SHA-256 (hex) of the plain bytes: what <c>zstd -dc | sha256sum</c> prints.</summary>
    public string PlainSha256 { get; init; } = "";

    /// <summary>Tar entries (files, folders, links), for tree components.</summary>
    public long? Entries { get; init; }

    /// <summary>Always "zstd" in version 1.</summary>
    public string Compression { get; init; } = "zstd";

    /// <summary>"age" when encrypted, else "none".</summary>
    public string Encryption { get; init; } = "none";

    /// <summary>The age public keys (<c>age1…</c>) that can decrypt the component.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    internal void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteString("kind", Kind);
        json.WriteString("database", Database);
        json.WriteNumber("storedSize", StoredSize);
        json.WriteString("storedSha256", StoredSha256);
        json.WriteNumber("plainSize", PlainSize);
        json.WriteString("plainSha256", PlainSha256);
        if (Entries is { } entries)
        {
            json.WriteNumber("entries", entries);
        }
        else
        {
            json.WriteNull("entries");
        }

        json.WriteString("compression", Compression);
        json.WriteString("encryption", Encryption);
        json.WriteStartArray("recipients");
        foreach (var recipient in Recipients)
        {
            json.WriteStringValue(recipient);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
