using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Storage;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Security;

/// <summary>
/// Whoever controls a destination replaces a backup with a consistent forgery — components and manifest, encrypted to
/// the panel's public key (age proves nothing about who encrypted) — on Local, SFTP and S3: with a stale signature, none,
/// and one by another key. Restores, the catalog rebuild and the command line refuse it and write nothing.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class ForgedManifestTests : IClassFixture<SshdFixture>, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly AppFixture _app;
    private readonly SshdFixture _sshd;
    private readonly S3rverFixture _s3;
    private readonly BackupTestBed _bed;

    public ForgedManifestTests(AppFixture app, SshdFixture sshd, S3rverFixture s3)
    {
        (_app, _sshd, _s3, _bed) = (app, sshd, s3, new BackupTestBed(app));
        RemoteDestinationBed.QuickRetries(app);
    }

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task ForgedAtLocalSftpAndS3_RestoreCatalogAndCommandLineRefuseIt_NothingWritten()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "the real site");
        var local = await _bed.AddDestinationAsync();
        var sftp = await RemoteDestinationBed.CreateAsync(_app, RemoteDestinationBed.Sftp(_sshd));
        var s3 = await RemoteDestinationBed.CreateAsync(_app, await RemoteDestinationBed.S3Async(_s3));
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var backup = await _bed.WaitFinishedAsync(await _bed.Backups.BackUpNowAsync(domain.Id, BackupType.Files, [local, sftp, s3], BackupTestBed.Operator, default));
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        Assert.True(File.Exists(Path.Combine(_bed.FolderOf(backup), ManifestSignature.FileName)), "the panel did not sign its manifest");

        var panelKey = await _bed.PanelIdentityAsync();
        var planted = Path.Combine(_bed.Dir, "planted");
        TestTrees.Write(planted, "index.html", "<?php system($_GET['c']);");
        var storage = _app.Services.GetRequiredService<DestinationStorage>();
        var destinations = _app.Services.GetRequiredService<DestinationService>();
        foreach (var (id, signature) in new[] { (local, "stale"), (sftp, "none"), (s3, "another key") })
        {
            var backend = storage.Open((await destinations.GetAsync(id, default))!);
            await using (backend)
            {
                await ForgeAsync(backend, backup, planted, panelKey.Recipient, signature);
            }
        }

        // The panel's restore: every copy refused (the catalog's record and the signature), nothing written.
        var target = Path.Combine(_bed.Dir, "restored");
        var run = await _bed.RestoreAndWaitAsync(new RestoreRequest { BackupId = backup.Id, TargetDirectory = target, SafetyBackup = false });
        Assert.Equal(RestoreStatus.Failed, run.Status);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any(), "the forgery was restored");

        // The catalog rebuilt from each destination (no record to compare with): the signature alone refuses it.
        await ForgetAsync(backup.Id);
        var import = _app.Services.GetRequiredService<CatalogImport>();
        foreach (var (id, reason) in new[] { (local, "does not match manifest.json"), (sftp, "the backup is not signed"), (s3, "a key this panel does not hold") })
        {
            var result = await import.ImportAsync(id, BackupTestBed.Admin, default);
            Assert.Equal(0, result.Added);
            Assert.Contains(result.Damaged, d => d.Contains(reason, StringComparison.Ordinal));
        }

        Assert.Null(await _bed.Backups.GetAsync(backup.Id, default));

        // By hand, with the panel's key: refused (exit 3), nothing written; --trust-unsigned does not pass a wrong signature.
        var keyFile = Path.Combine(_bed.Dir, "key.txt");
        await File.WriteAllTextAsync(keyFile, panelKey.ToIdentityFile(DateTimeOffset.UtcNow));
        foreach (var trust in new[] { Array.Empty<string>(), ["--trust-unsigned"] })
        {
            var extract = await Shell.PanelAsync(["archive", "extract", "--from", _bed.FolderOf(backup), "--to", target, "--identity", keyFile, .. trust]);
            Assert.Equal(3, extract.ExitCode);
            Assert.Contains("manifest.sig", extract.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
        }
    }

    /// <summary>The attacker's backup in place of the real one: consistent, encrypted to the panel's public key.</summary>
    private static async Task ForgeAsync(IStorageBackend backend, Backup real, string planted, AgeRecipient panel, string signature)
    {
        var writer = new ArchiveWriter(backend, real.FolderKey!, new ArchiveWriteOptions { Recipients = [panel] });
        var component = await writer.WriteComponentAsync(ArchiveLayout.FilesKind, null,
            async (tar, ct) => (await TreeArchiver.WriteAsync(planted, ExcludeFilter.None, tar, ct)).Entries, null, default);
        var manifest = new ArchiveManifest
        {
            BackupId = real.Id, Domain = real.DomainName, Type = "Files", Tool = "BackupPanel", StartedAt = real.StartedAt!.Value,
            FinishedAt = real.FinishedAt!.Value, Components = [component],
        };
        switch (signature)
        {
            case "none":
                await backend.DeleteAsync(real.FolderKey + ManifestSignature.FileName, default);
                await writer.CommitAsync(manifest, default);
                break;
            case "another key":
                await writer.CommitAsync(manifest, default, AgeIdentity.Generate());
                break;
            default:
                await writer.CommitAsync(manifest, default); // the panel's signature of the real manifest stays
                break;
        }
    }

    private async Task ForgetAsync(Guid backupId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("DELETE FROM backups WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", backupId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
