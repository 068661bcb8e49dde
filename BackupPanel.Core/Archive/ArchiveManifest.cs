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

    private static ArchiveManifest Check(ArchiveManifest m)
    {
        if (m.Format != FormatName || m.Version != CurrentVersion)
        {
            throw new ArchiveCorruptException(FileName, $"has format '{m.Format}' version {m.Version}; this BackupPanel reads {FormatName} version {CurrentVersion}");
        }

        if (m.Components is null || m.Components.Count == 0)
        {
            throw new ArchiveCorruptException(FileName, "lists no components");
        }

        foreach (var c in m.Components)
        {
            var problem = c switch
            {
                _ when c.Name is null || !SafeName().IsMatch(c.Name) => "has a component with an invalid name",
                _ when c.StoredSize < 0 || c.PlainSize < 0 => $"gives {c.Name} a negative size",
                _ when !Sha256Hex().IsMatch(c.StoredSha256 ?? "") || !Sha256Hex().IsMatch(c.PlainSha256 ?? "") => $"gives {c.Name} an invalid SHA-256",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ArchiveCorruptException(FileName, problem);
            }
        }

        if (m.Components.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != m.Components.Count)
        {
            throw new ArchiveCorruptException(FileName, "lists a component twice");
        }

        return m;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")]
    private static partial Regex SafeName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
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
