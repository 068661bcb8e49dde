namespace BackupPanel.Core.Archive;

/// <summary>Database dump components as plain files (for restoring by hand and for the dump tools).</summary>
public static class DumpFiles
{
    /// <summary>
    /// Reads the component and, unless <paramref name="path"/> is null (verify only), writes its plain bytes there:
    /// to a temporary name first, renamed only after the checksums matched.
    /// </summary>
    public static async Task SaveAsync(ArchiveReader reader, ArchiveComponent component, string? path, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (path is null)
        {
            await reader.ReadComponentAsync(component, (plain, token) => plain.CopyToAsync(Stream.Null, token), progress, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(component);
        FreeSpace.Require(path, component.PlainSize, component.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".partial";
        try
        {
            await reader.ReadComponentAsync(component, async (plain, token) =>
            {
                var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await plain.CopyToAsync(file, 1 << 20, token).ConfigureAwait(false);
                }
            }, progress, ct).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (FreeSpace.IsNoSpace(ex))
        {
            throw FreeSpace.NoSpaceAt(path, component.Name, ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
