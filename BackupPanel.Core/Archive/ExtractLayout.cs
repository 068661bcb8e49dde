namespace BackupPanel.Core.Archive;

/// <summary>
/// Where each component of a backup is extracted by hand (<c>archive extract --to</c>): a backup of one tree and
/// nothing else goes straight into the folder; otherwise trees into <c>files/</c> and <c>mail/</c>, dumps into
/// <c>databases/</c>, an imported original beside them — never one into another.
/// </summary>
public static class ExtractLayout
{
    /// <summary>The sub-folder for database dumps.</summary>
    public const string DatabasesFolder = "databases";

    /// <summary>The folder (trees) or file (dumps, an original) that <paramref name="component"/> goes to under <paramref name="target"/>.</summary>
    public static string PlaceOf(ArchiveManifest manifest, ArchiveComponent component, string target)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(component);
        return component.Kind switch
        {
            _ when TreeComponents.IsTree(component) && manifest.Components.Count == 1 => target,
            ArchiveLayout.FilesKind or ArchiveLayout.MailKind => Path.Combine(target, component.Kind),
            ArchiveLayout.PostgreSqlKind or ArchiveLayout.MySqlKind => Path.Combine(target, DatabasesFolder, PlainName(component)),
            _ => Path.Combine(target, PlainName(component)),
        };
    }

    /// <summary>The component's name without <c>.zst</c> and <c>.age</c> (the manifest checked that it has them).</summary>
    public static string PlainName(ArchiveComponent component) =>
        component?.Name[..component.Name.LastIndexOf(".zst", StringComparison.Ordinal)] ?? throw new ArgumentNullException(nameof(component));
}
