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

        using var staged = await StageAsync(reader, component, path, progress, ct).ConfigureAwait(false);
        staged.Commit();
    }

    /// <summary>
    /// Reads the component into <c><paramref name="path"/>.partial</c> and checks it; <see cref="StagedFile.Commit"/>
    /// renames it to <paramref name="path"/>, disposing without committing removes it.
    /// </summary>
    public static async Task<StagedFile> StageAsync(ArchiveReader reader, ArchiveComponent component, string path, Action<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(component);
        FreeSpace.Require(path, component.PlainSize, component.Name);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var staged = new StagedFile(path + ".partial", path, folder, CreatedFolders.Create(folder));
        try
        {
            await reader.ReadComponentAsync(component, async (plain, token) =>
            {
                var file = new FileStream(staged.StagedPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await plain.CopyToAsync(file, 1 << 20, token).ConfigureAwait(false);
                }
            }, progress, ct).ConfigureAwait(false);
            return staged;
        }
        catch (Exception ex) when (FreeSpace.IsNoSpace(ex))
        {
            staged.Dispose();
            throw FreeSpace.NoSpaceAt(path, component.Name, ex);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }
}

/// <summary>A checked dump waiting under a temporary name: <see cref="Commit"/> gives it its name, disposing removes it.</summary>
public sealed class StagedFile(string stagedPath, string path, string folder, string? createdFolder) : IStaged
{
    private bool _committed;

    /// <summary>Where the bytes wait.</summary>
    public string StagedPath { get; } = stagedPath;

    /// <summary>Where <see cref="Commit"/> puts them.</summary>
    public string Path { get; } = path;

    /// <inheritdoc />
    public void Commit()
    {
        File.Move(StagedPath, Path, overwrite: true);
        _committed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_committed)
        {
            File.Delete(StagedPath);
            if (createdFolder is not null)
            {
                CreatedFolders.RemoveIfEmpty(folder, createdFolder);
            }
        }
    }
}
