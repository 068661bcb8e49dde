namespace BackupPanel.Core.Import;

/// <summary>
/// Recognizes one panel's archive while it is walked (see <see cref="ArchiveInspector"/>): every entry is shown to
/// every scanner; each one notes its format's markers and what it will need for the preview and the import.
/// </summary>
internal interface IFormatScanner
{
    /// <summary>"cPanel", "Virtualmin" or "Plesk".</summary>
    string Format { get; }

    /// <summary>The markers of this format found so far, in words (empty: none).</summary>
    IReadOnlyList<string> Markers { get; }

    /// <summary>Enough markers were found to call the archive this format.</summary>
    bool IsMatch { get; }

    /// <summary>Nested archives of this format, to be read in place.</summary>
    bool Descend(string path);

    /// <summary>Small files this scanner reads (account settings, metadata); their first bytes come to <see cref="Visit"/>.</summary>
    bool WantsContent(string path);

    void Visit(WalkEntry entry, byte[]? content);

    ImportPreview Preview(WalkResult walk);
}
