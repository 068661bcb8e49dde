using System.Text.Json;
using System.Text.Json.Serialization;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Destinations;

/// <summary>How a kind opens its backend: the stored secrets decrypted on demand, and how long a killed run's uploads live.</summary>
/// <param name="Reveal">Decrypts a stored ciphertext (only to connect); throws <see cref="StorageException"/> when it cannot.</param>
/// <param name="StalePartialAge">SFTP/FTP uploads a killed run left behind are removed once not written for this long.</param>
public sealed record DestinationOpening(Func<string?, string?> Reveal, TimeSpan StalePartialAge);

/// <summary>
/// A kind of destination, as a provider (kopia's <c>{type, config}</c>): its typed settings and their JSON, its form and
/// the form's validation, its description for the pages, and the two ways to open its storage backend — from a stored
/// destination (the panel) and from a URL (the command line). Adding a kind is one folder under Kinds/ and one line in
/// <see cref="DestinationKinds.All"/>.
/// </summary>
public abstract class DestinationKind
{
    /// <summary>Settings as stored: compact, and property names as in C#.</summary>
    protected static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The kind's name as stored in the destination's row ("Local", "Sftp", "Ftp", "S3"); never changes.</summary>
    public abstract string Name { get; }

    /// <summary>How the pages name it in a list ("SFTP").</summary>
    public abstract string DisplayName { get; }

    /// <summary>How the form offers it ("SFTP (SSH)").</summary>
    public abstract string Description { get; }

    /// <summary>The URL schemes the command line opens with this kind (none for a folder).</summary>
    public virtual IReadOnlyList<string> Schemes => [];

    /// <summary>A backend on another machine: wrapped in the retry decorator.</summary>
    public virtual bool IsRemote => true;

    /// <summary>The settings stored as <paramref name="json"/>.</summary>
    public abstract DestinationSettings Read(string json);

    /// <summary>The JSON stored for <paramref name="settings"/>.</summary>
    public abstract string Write(DestinationSettings settings);

    /// <summary>An empty form for a new destination of this kind.</summary>
    public abstract DestinationKindInput NewInput();

    /// <summary>The form for editing <paramref name="stored"/>: every field but the secrets, which it only says are stored.</summary>
    public abstract DestinationKindInput InputFrom(DestinationSettings stored);

    /// <summary>
    /// Checks and tidies <paramref name="input"/>; every problem goes to <paramref name="errors"/> at its field (the
    /// form's property name) in plain words. Returns the settings to store — new secrets encrypted with
    /// <paramref name="protect"/>, empty secret fields keeping <paramref name="stored"/>'s — or null when there were errors.
    /// </summary>
    public abstract DestinationSettings? Validate(DestinationKindInput input, DestinationSettings? stored, Func<string, string> protect, IDictionary<string, string> errors);

    /// <summary>The backend for stored <paramref name="settings"/> (not yet wrapped for retries).</summary>
    public abstract IStorageBackend Open(DestinationSettings settings, DestinationOpening opening);

    /// <summary>
    /// The backend for a command-line <paramref name="url"/> of one of <see cref="Schemes"/> (not yet wrapped for
    /// retries). Throws <see cref="ArgumentException"/> for a wrong URL or a missing host key or secret.
    /// </summary>
    public virtual IStorageBackend OpenUrl(Uri url, UrlOptions options) => throw new ArgumentException($"{DisplayName} destinations are not opened from a URL.");
}

/// <summary>The typed half of a <see cref="DestinationKind"/>: one settings record and one form class.</summary>
public abstract class DestinationKind<TSettings, TInput> : DestinationKind
    where TSettings : DestinationSettings
    where TInput : DestinationKindInput, new()
{
    public sealed override DestinationSettings Read(string json) =>
        JsonSerializer.Deserialize<TSettings>(json, Json) ?? throw new StorageException(StorageErrorKind.Permanent, $"The {DisplayName} destination's settings are empty.");

    public sealed override string Write(DestinationSettings settings) => JsonSerializer.Serialize((TSettings)settings, Json);

    public sealed override DestinationKindInput NewInput() => new TInput();

    public sealed override DestinationKindInput InputFrom(DestinationSettings stored) => InputFrom((TSettings)stored);

    public sealed override DestinationSettings? Validate(DestinationKindInput input, DestinationSettings? stored, Func<string, string> protect, IDictionary<string, string> errors) =>
        Validate((TInput)input, stored as TSettings, protect, errors);

    public sealed override IStorageBackend Open(DestinationSettings settings, DestinationOpening opening) => Open((TSettings)settings, opening);

    protected abstract TInput InputFrom(TSettings stored);

    protected abstract TSettings? Validate(TInput input, TSettings? stored, Func<string, string> protect, IDictionary<string, string> errors);

    protected abstract IStorageBackend Open(TSettings settings, DestinationOpening opening);

    /// <summary>A new secret encrypted, or the stored ciphertext when the field was left empty.</summary>
    protected static string? Keep(string? entered, string? stored, Func<string, string> protect) =>
        string.IsNullOrEmpty(entered) ? stored : protect(entered);
}
