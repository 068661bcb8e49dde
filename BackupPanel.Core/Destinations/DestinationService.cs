using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Sftp;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Destinations;

/// <summary>Manages destinations: create, edit, remove, test, confirm host keys. Every change is audited.</summary>
public sealed class DestinationService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, DestinationStorage storage, SecretProtector secrets, AuditService audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<Destination>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking().OrderByDescending(d => d.IsDefault).ThenBy(d => d.Name).ToListAsync(ct);
    }

    public async Task<Destination?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
    }

    public Task<SaveResult> CreateAsync(DestinationInput input, AuditActor actor, CancellationToken ct) => SaveAsync(null, input, actor, ct);

    public Task<SaveResult> UpdateAsync(Guid id, DestinationInput input, AuditActor actor, CancellationToken ct) => SaveAsync(id, input, actor, ct);

    public async Task<SaveResult> DeleteAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destination = await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (destination is null)
        {
            return SaveResult.Failed(nameof(DestinationInput.Name), "This destination does not exist (any more).");
        }

        db.Destinations.Remove(destination);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(actor, AuditActions.DestinationDeleted, AuditOutcome.Success, "destination", destination.Name, ct: ct);
        return SaveResult.Saved(id);
    }

    /// <summary>Runs the write/read/list/delete probe and records the outcome (message and latency) on the destination.</summary>
    public async Task<StorageTestResult> TestAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destination = await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct)
            ?? throw new InvalidOperationException("This destination does not exist (any more).");
        StorageTestResult result;
        try
        {
            await using var backend = storage.Open(destination);
            result = await backend.TestAsync(ct);
        }
        catch (StorageException ex)
        {
            result = new StorageTestResult(false, ex.Message, TimeSpan.Zero);
        }

        destination.LastTestedAt = clock.GetUtcNow();
        destination.LastTestSucceeded = result.Success;
        destination.LastTestMessage = result.Message.Length > 1000 ? result.Message[..1000] : result.Message;
        destination.LastTestMilliseconds = (int)Math.Min(int.MaxValue, result.Elapsed.TotalMilliseconds);
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>
    /// The SSH host key an SFTP server shows ("SHA256:…"), fetched without logging in, for the user to compare with
    /// the server's own (<c>ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub</c>) before it is pinned.
    /// </summary>
    public static Task<string> FetchHostKeyAsync(string host, int port, CancellationToken ct) =>
        SftpStorageBackend.FetchHostKeyAsync(host?.Trim() ?? "", port, TimeSpan.FromSeconds(15), ct);

    private async Task<SaveResult> SaveAsync(Guid? id, DestinationInput input, AuditActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destination = id is null ? new Destination { Id = Guid.NewGuid(), CreatedAt = clock.GetUtcNow() }
            : await db.Destinations.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (destination is null)
        {
            return SaveResult.Failed(nameof(DestinationInput.Name), "This destination does not exist (any more).");
        }

        var errors = DestinationValidator.Validate(input, id is null || destination.Kind != input.Kind ? null : destination);
        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        var keyChanged = id is not null && destination.HostKeySha256 != input.HostKeySha256;
        Apply(input, destination);
        destination.IsDefault = input.IsDefault || !await db.Destinations.AnyAsync(d => d.Id != destination.Id, ct);
        destination.UpdatedAt = clock.GetUtcNow();
        if (destination.IsDefault)
        {
            await db.Destinations.Where(d => d.Id != destination.Id && d.IsDefault).ExecuteUpdateAsync(s => s.SetProperty(d => d.IsDefault, false), ct);
        }

        if (id is null)
        {
            db.Destinations.Add(destination);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return SaveResult.Failed(nameof(DestinationInput.Name), $"A destination named {input.Name} exists already.");
        }

        var details = destination.ToString() + (destination.HostKeySha256 is { } key && (id is null || keyChanged) ? $"; host key {key} confirmed" : "");
        await audit.WriteAsync(actor, id is null ? AuditActions.DestinationCreated : AuditActions.DestinationChanged, AuditOutcome.Success,
            "destination", destination.Name, details, ct);
        return SaveResult.Saved(destination.Id);
    }

    private void Apply(DestinationInput input, Destination d)
    {
        if (d.Kind != input.Kind)
        {
            d.PasswordSecret = d.PrivateKeySecret = d.PassphraseSecret = d.SecretAccessKeySecret = null; // another kind's secrets never carry over
        }

        var remote = input.Kind is DestinationKind.Sftp or DestinationKind.Ftp;
        var s3 = input.Kind == DestinationKind.S3;
        d.Name = input.Name;
        d.Kind = input.Kind;
        d.Path = input.Path;
        d.IsEnabled = input.IsEnabled;
        d.Host = remote ? input.Host : null;
        d.Port = remote ? input.Port : null;
        d.UserName = remote ? input.UserName : null;
        d.HostKeySha256 = input.Kind == DestinationKind.Sftp ? input.HostKeySha256 : null;
        d.ExplicitTls = input.Kind == DestinationKind.Ftp && input.ExplicitTls;
        d.CertificateSha256 = d.ExplicitTls ? input.CertificateSha256 : null;
        d.Bucket = s3 ? input.Bucket : null;
        d.Region = s3 ? input.Region : null;
        d.ServiceUrl = s3 ? input.ServiceUrl : null;
        d.PathStyle = s3 && input.PathStyle;
        d.UseEnvironmentCredentials = s3 && input.UseEnvironmentCredentials;
        d.AccessKeyId = s3 && !input.UseEnvironmentCredentials ? input.AccessKeyId : null;
        d.StorageClass = s3 && input.StorageClass is { Length: > 0 } sc ? sc : null;
        d.ServerSideEncryption = s3 && input.ServerSideEncryption is { Length: > 0 } sse ? sse : null;
        d.KmsKeyId = d.ServerSideEncryption == "aws:kms" && input.KmsKeyId is { Length: > 0 } kms ? kms.Trim() : null;
        d.ObjectLockMode = s3 && input.ObjectLockMode != "None" ? input.ObjectLockMode : null;
        d.ObjectLockDays = d.ObjectLockMode is null ? null : input.ObjectLockDays;
        d.PasswordSecret = remote ? Keep(input.Password, d.PasswordSecret) : null;
        d.PrivateKeySecret = input.Kind == DestinationKind.Sftp ? Keep(input.PrivateKey?.Trim(), d.PrivateKeySecret) : null;
        d.PassphraseSecret = input.Kind == DestinationKind.Sftp ? Keep(input.Passphrase, d.PassphraseSecret) : null;
        d.SecretAccessKeySecret = d.AccessKeyId is not null ? Keep(input.SecretAccessKey?.Trim(), d.SecretAccessKeySecret) : null;
        input.Password = input.PrivateKey = input.Passphrase = input.SecretAccessKey = null; // the form never holds a secret after saving
    }

    private string? Keep(string? entered, string? stored) => string.IsNullOrEmpty(entered) ? stored : secrets.Protect(entered);
}
