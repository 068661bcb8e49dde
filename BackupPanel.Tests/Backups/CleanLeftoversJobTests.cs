using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

/// <summary>
/// The nightly clean-up at a real Local destination: only stale folders without a manifest that the catalog knows as its
/// own ended runs go; a live run's folder, and anything the panel did not make, stay.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class CleanLeftoversJobTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Nightly_RemovesStaleIncompleteFolders_KeepsCompleteFreshAndLiveOnes()
    {
        await _bed.AddDestinationAsync();
        var old = DateTime.UtcNow.AddDays(-2);
        var stale = Folder("stale.example.com", old, manifest: false);
        var complete = Folder("complete.example.com", old, manifest: true);
        var fresh = Folder("fresh.example.com", DateTime.UtcNow.AddHours(-2), manifest: false);
        var live = Folder("live.example.com", old, manifest: false);
        var unknown = Folder("unknown.example.com", old, manifest: false); // named like ours, but no run of the panel's
        var notOurs = Path.Combine(_bed.DestinationPath, "notes", "readme.txt");
        var deep = Path.Combine(_bed.DestinationPath, "site", "data", "2024", "cache", "index.bin"); // four levels deep, no manifest: found deleted before
        foreach (var file in new[] { notOurs, deep })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "kept");
            File.SetLastWriteTimeUtc(file, old);
        }

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync())
        {
            db.Backups.Add(new Backup
            {
                Id = Guid.NewGuid(), DomainName = "stale.example.com", Type = BackupType.Files, Status = BackupStatus.Failed,
                CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "test", FolderKey = stale,
            });
            db.Backups.Add(new Backup
            {
                Id = Guid.NewGuid(), DomainName = "live.example.com", Type = BackupType.Files, Status = BackupStatus.Running,
                CreatedAt = DateTimeOffset.UtcNow, RequestedBy = "test", FolderKey = live,
            });
            await db.SaveChangesAsync();
        }

        var removed = await app.Services.GetRequiredService<CleanLeftoversJob>().RunAsync(default);

        Assert.True(removed >= 1);
        Assert.False(File.Exists(Path.Combine(_bed.DestinationPath, stale, "files.tar.zst")));
        Assert.True(File.Exists(Path.Combine(_bed.DestinationPath, complete, "files.tar.zst")));
        Assert.True(File.Exists(Path.Combine(_bed.DestinationPath, fresh, "files.tar.zst")));
        Assert.True(File.Exists(Path.Combine(_bed.DestinationPath, live, "files.tar.zst")));
        Assert.True(File.Exists(notOurs));
        Assert.True(File.Exists(deep));
        Assert.True(File.Exists(Path.Combine(_bed.DestinationPath, unknown, "files.tar.zst")));
    }

    private string Folder(string domain, DateTime at, bool manifest)
    {
        var key = $"{domain}/{at:yyyy}/{at:MM}/{at:yyyyMMdd'T'HHmmss'Z'}_{Guid.NewGuid():D}/";
        var dir = Path.Combine(_bed.DestinationPath, key);
        Directory.CreateDirectory(dir);
        foreach (var name in manifest ? new[] { "files.tar.zst", "manifest.json" } : ["files.tar.zst"])
        {
            File.WriteAllText(Path.Combine(dir, name), "x");
            File.SetLastWriteTimeUtc(Path.Combine(dir, name), at);
        }

        return key;
    }
}
