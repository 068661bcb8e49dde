using BackupPanel.Core.Archive;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Domains;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

[Collection(AppCollectionDefinition.Name)]
public sealed class CatalogImportTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    private CatalogImport Import => app.Services.GetRequiredService<CatalogImport>();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Import_BackupsTheCatalogLost_AreAddedAgainAndRestorable_KnownOnesSkipped()
    {
        var (domain, backup) = await BackUpAsync();
        await ForgetAsync(backup.Id);

        var result = await Import.ImportAsync(_bed.DestinationId, BackupTestBed.Operator, default);
        var again = await Import.ImportAsync(_bed.DestinationId, BackupTestBed.Operator, default);

        Assert.Equal((1, 1, 0, 0), (result.Found, result.Added, result.CopiesAdded, result.Skipped));
        Assert.Equal((1, 0, 0, 1), (again.Found, again.Added, again.CopiesAdded, again.Skipped));
        var imported = (await _bed.Backups.GetAsync(backup.Id, default))!;
        Assert.Equal(BackupStatus.Succeeded, imported.Status);
        Assert.Equal(domain.Id, imported.DomainId);
        Assert.Equal(backup.ManifestSha256, imported.ManifestSha256);
        Assert.Equal(backup.Components.Select(c => (c.Name, c.StoredSha256, c.PlainSha256)), imported.Components.Select(c => (c.Name, c.StoredSha256, c.PlainSha256)));
        await _bed.Verifier.VerifyAsync(backup.Id, default);
        Assert.True((await _bed.Backups.GetAsync(backup.Id, default))!.VerifySucceeded);
    }

    [Fact]
    public async Task Import_DamagedAndForeignFolders_AreReportedNotAdded()
    {
        var (_, backup) = await BackUpAsync();
        var folder = _bed.FolderOf(backup);
        var manifest = await File.ReadAllTextAsync(Path.Combine(folder, ArchiveManifest.FileName));
        var domainDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(folder.TrimEnd('/'))))!;
        Write(Path.Combine(domainDir, "2020/01/20200101T000000Z_" + Guid.NewGuid()), "{ not json");
        Write(Path.Combine(domainDir, "2020/01/20200101T000000Z_" + Guid.NewGuid()), manifest); // names another folder
        Write(Path.Combine(_bed.DestinationPath, backup.FolderKey!.Replace(backup.Id.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal)), manifest);
        await ForgetAsync(backup.Id);
        File.Delete(Path.Combine(folder, backup.Components[0].Name)); // the real one loses its component

        var result = await Import.ImportAsync(_bed.DestinationId, BackupTestBed.Operator, default, trustUnsigned: true); // damage, not signatures, here

        Assert.Equal(4, result.Found);
        Assert.Equal(0, result.Added);
        Assert.Equal(4, result.Damaged.Count);
        Assert.Contains(result.Damaged, d => d.Contains("is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(result.Damaged, d => d.Contains("names another domain, time or backup than its folder", StringComparison.Ordinal));
        Assert.Contains(result.Damaged, d => d.Contains("is listed in manifest.json but missing", StringComparison.Ordinal));
        Assert.Null(await _bed.Backups.GetAsync(backup.Id, default));
    }

    private async Task<(Domain Domain, Backup Backup)> BackUpAsync()
    {
        var files = TestTrees.CreateTricky(Path.Combine(_bed.Dir, "www"), 50_000);
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Files);
        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        return (domain, backup);
    }

    /// <summary>The catalog loses the backup (as when the database is lost); the files stay where they are.</summary>
    private async Task ForgetAsync(Guid backupId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("DELETE FROM backups WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", backupId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static void Write(string folder, string manifest)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ArchiveManifest.FileName), manifest);
    }
}
