using BackupPanel.Core.Backups;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Restore.Bulk;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Restore;

/// <summary>Domains with files, mail and optionally databases, each backed up once, and helpers to drive a bulk restore to its end.</summary>
public sealed class BulkBed(AppFixture app) : IDisposable
{
    public BackupTestBed Bed { get; } = new(app);

    public BulkRestoreService Bulk => app.Services.GetRequiredService<BulkRestoreService>();

    /// <summary>A domain with a few files (plus <paramref name="extraBytes"/> of random data) and a Maildir, backed up in full.</summary>
    public async Task<(Domain Domain, Backup Backup)> DomainWithBackupAsync(string label, int extraBytes = 0, DatabaseInput? database = null)
    {
        if (Bed.DestinationId == Guid.Empty)
        {
            await Bed.AddDestinationAsync();
        }

        var files = Path.Combine(Bed.Dir, "sites", label, "www");
        var mail = Path.Combine(Bed.Dir, "sites", label, "Maildir");
        TestTrees.Write(files, "index.html", $"<h1>{label}</h1>");
        TestTrees.Write(files, "assets/ünï côde.css", "body { color: #123 }");
        if (extraBytes > 0)
        {
            var data = new byte[extraBytes];
            Random.Shared.NextBytes(data);
            await File.WriteAllBytesAsync(Path.Combine(files, "big.bin"), data);
        }

        TestTrees.Write(mail, "cur/1700000000.M1P1.host:2,S", $"Subject: hello {label}\n\nhi\n");
        Directory.CreateDirectory(Path.Combine(mail, "new"));
        var domain = await Bed.AddDomainAsync(new DomainInput { FilesRoot = files, MailRoot = mail, Databases = database is null ? [] : [database] });
        var backup = await Bed.BackUpAndWaitAsync(domain.Id);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error + "\n" + backup.Log);
        return (domain, backup);
    }

    /// <summary>Creates the batch and waits (bounded) for its preflight report.</summary>
    public async Task<BulkRestoreView> CheckAsync(BulkRestoreRequest request)
    {
        var result = await Bulk.CreateAsync(request, BackupTestBed.Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        BulkRestoreView? view = null;
        await Poll.UntilAsync(async () => (view = await Bulk.GetAsync(result.Id!.Value, default))!.Batch.Status != RestoreBatchStatus.Checking, "the preflight to finish");
        return view!;
    }

    public async Task<BulkRestoreView> ConfirmAndWaitAsync(Guid batchId)
    {
        var confirmed = await Bulk.ConfirmAsync(batchId, BackupTestBed.Operator, default);
        Assert.True(confirmed.Succeeded, string.Join("; ", confirmed.Errors.Values));
        return await WaitOverAsync(batchId);
    }

    public async Task<BulkRestoreView> WaitOverAsync(Guid batchId)
    {
        BulkRestoreView? view = null;
        await Poll.UntilAsync(async () => (view = await Bulk.GetAsync(batchId, default))!.Batch.IsFinished, "the bulk restore to finish", 180);
        return view!;
    }

    public static BulkRestoreItemView ItemOf(BulkRestoreView view, Domain domain) => view.Items.Single(i => i.Item.DomainName == domain.Name);

    /// <summary>Flips one byte in the middle of the backup's files archive (the backup can then no longer be restored).</summary>
    public async Task<(string Path, byte[] Original)> BreakFilesAsync(Backup backup)
    {
        var stored = Directory.EnumerateFiles(Bed.FolderOf(backup), "files.tar.zst*").Single();
        var original = await File.ReadAllBytesAsync(stored);
        var broken = original.ToArray();
        broken[broken.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(stored, broken);
        return (stored, original);
    }

    public static void AssertSameTrees(Domain domain, string root)
    {
        Assert.Equal(TreeSnapshot.Take(domain.FilesRoot!), TreeSnapshot.Take(Path.Combine(root, domain.Name, "files")));
        Assert.Equal(TreeSnapshot.Take(domain.MailRoot!), TreeSnapshot.Take(Path.Combine(root, domain.Name, "mail")));
    }

    public void Dispose() => Bed.Dispose();
}
