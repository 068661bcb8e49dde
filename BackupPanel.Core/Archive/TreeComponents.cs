namespace BackupPanel.Core.Archive;

/// <summary>Restore and verify for tar components (files, mail): stage, let the checksums decide, then commit.</summary>
public static class TreeComponents
{
    /// <summary>
    /// Restores <paramref name="component"/> into <paramref name="target"/>. Nothing reaches the target unless every
    /// byte checked out; a dry run reads and checks everything and only lists what would change.
    /// </summary>
    public static async Task<ExtractResult> RestoreAsync(
        ArchiveReader reader, ArchiveComponent component, string target, ExtractOptions options, Action<long>? progress, CancellationToken ct)
    {
        using var staged = await StageAsync(reader, component, target, options, progress, ct).ConfigureAwait(false);
        staged.Commit();
        return staged.Result;
    }

    /// <summary>
    /// Reads <paramref name="component"/> into a staging folder in <paramref name="target"/> and checks it (sizes,
    /// checksums, entry count, every entry's safety); nothing is in place until <see cref="StagedTree.Commit"/>.
    /// </summary>
    public static async Task<StagedTree> StageAsync(
        ArchiveReader reader, ArchiveComponent component, string target, ExtractOptions options, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.DryRun)
        {
            FreeSpace.Require(target, component.PlainSize, component.Name);
        }

        StagedTree? staged = null;
        try
        {
            await reader.ReadComponentAsync(component, async (tar, token) =>
                staged = await TreeExtractor.StageAsync(tar, target, options, token).ConfigureAwait(false), progress, ct).ConfigureAwait(false);
            CheckEntries(component, staged!.Result);
            return staged;
        }
        catch (Exception ex) when (FreeSpace.IsNoSpace(ex))
        {
            staged?.Dispose();
            throw FreeSpace.NoSpaceAt(target, component.Name, ex);
        }
        catch (UnsafeArchiveException ex)
        {
            staged?.Dispose();
            throw new UnsafeArchiveException($"{component.Name}: {ex.Message}", ex);
        }
        catch
        {
            staged?.Dispose();
            throw;
        }
    }

    /// <summary>Reads the component completely: checksums, decryption, decompression and every tar entry's safety.</summary>
    public static async Task<ExtractResult> VerifyAsync(ArchiveReader reader, ArchiveComponent component, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ExtractResult? result = null;
        await reader.ReadComponentAsync(component, async (tar, token) =>
            result = await TreeExtractor.CheckAsync(tar, token).ConfigureAwait(false), progress, ct).ConfigureAwait(false);
        CheckEntries(component, result!);
        return result!;
    }

    /// <summary>The tar holds as many entries as the manifest says (when it says).</summary>
    private static void CheckEntries(ArchiveComponent component, ExtractResult result)
    {
        if (component.Entries is { } entries && result.Entries != entries)
        {
            throw new ArchiveCorruptException(component.Name, $"has {result.Entries:N0} tar entries, the manifest says {entries:N0}");
        }
    }

    /// <summary>Whether the component is a tar of a tree (files or mail).</summary>
    public static bool IsTree(ArchiveComponent component) =>
        component?.Kind is ArchiveLayout.FilesKind or ArchiveLayout.MailKind;
}
