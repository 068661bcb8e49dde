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
            staged!.Commit();
            return staged.Result;
        }
        catch (Exception ex) when (FreeSpace.IsNoSpace(ex))
        {
            throw FreeSpace.NoSpaceAt(target, component.Name, ex);
        }
        finally
        {
            staged?.Dispose();
        }
    }

    /// <summary>Reads the component completely: checksums, decryption, decompression and every tar entry's safety.</summary>
    public static async Task<ExtractResult> VerifyAsync(ArchiveReader reader, ArchiveComponent component, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ExtractResult? result = null;
        await reader.ReadComponentAsync(component, async (tar, token) =>
            result = await TreeExtractor.CheckAsync(tar, token).ConfigureAwait(false), progress, ct).ConfigureAwait(false);
        return result!;
    }

    /// <summary>Whether the component is a tar of a tree (files or mail).</summary>
    public static bool IsTree(ArchiveComponent component) =>
        component?.Kind is ArchiveLayout.FilesKind or ArchiveLayout.MailKind;
}
