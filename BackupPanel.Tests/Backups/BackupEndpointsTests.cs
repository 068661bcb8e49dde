using System.Net;
using System.Security.Cryptography;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Backups;

[Collection(AppCollectionDefinition.Name)]
public sealed class BackupEndpointsTests(AppFixture app) : IDisposable
{
    private readonly BackupTestBed _bed = new(app);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Download_AsAdmin_StreamsTheStoredBytesAndIsAudited_AnOperatorIsRefused()
    {
        var backup = await BackUpAsync();
        var component = backup.Components[0];
        using var operatorClient = app.NewClient();
        await operatorClient.SignInAsync(await app.CreateUserAsync(Roles.Operator), AppFixture.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync($"/api/backups/{backup.Id}/components/{component.Name}")).StatusCode);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.Services.GetRequiredService<BackupService>().OpenComponentAsync(backup.Id, component.Name, BackupTestBed.Operator, default));
        using var client = app.NewClient();
        var email = await app.CreateUserAsync(Roles.Admin);
        await client.SignInAsync(email, AppFixture.Password);

        var response = await client.GetAsync($"/api/backups/{backup.Id}/components/{component.Name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(component.StoredSha256, Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())));
        Assert.EndsWith(component.Name, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.BackupDownloaded && e.TargetId == backup.Id.ToString() && e.UserName == email));
    }

    [Theory]
    [InlineData("../manifest.json")]
    [InlineData("manifest.json")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    public async Task Download_NameNotAComponent_IsNotFound(string name)
    {
        var backup = await BackUpAsync();
        using var client = app.NewClient();
        await client.SignInAsync(await app.CreateUserAsync(Roles.Admin), AppFixture.Password);

        var response = await client.GetAsync($"/api/backups/{backup.Id}/components/{name}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeleteAsync_Backup_RemovesItsFilesAndRecordAndIsAudited()
    {
        var backup = await BackUpAsync();
        Assert.Contains(_bed.StoredFiles(), f => f.EndsWith("manifest.json", StringComparison.Ordinal));

        await _bed.Backups.DeleteAsync(backup.Id, BackupTestBed.Operator, default);

        Assert.DoesNotContain(_bed.StoredFiles(), f => !f.StartsWith('.'));
        Assert.Null(await _bed.Backups.GetAsync(backup.Id, default));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.BackupDeleted && e.TargetId == backup.Id.ToString()));
    }

    private async Task<Backup> BackUpAsync()
    {
        var files = Path.Combine(_bed.Dir, "www");
        TestTrees.Write(files, "index.html", "hello");
        await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var backup = await _bed.BackUpAndWaitAsync(domain.Id, BackupType.Files);
        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        return backup;
    }
}
