using BackupPanel.Core.Backups.Archiving.Age;
using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackupPanel.Core.Encryption;

/// <summary>
/// The age keys backups are encrypted to: the panel's own key pair (made on first start, identity encrypted at
/// rest) and Admins' extra public keys. Gives the recovery kit, without which the panel's backups cannot be
/// decrypted once this database is lost.
/// </summary>
public sealed class EncryptionService(IDbContextFactory<BackupPanelDbContext> dbFactory, SecretProtector secrets, AuditService audit, TimeProvider clock)
{
    public const int MaxExtraKeys = 20;

    /// <summary>Makes the panel key pair unless it exists. Safe on every start and on several nodes at once.</summary>
    public async Task EnsurePanelKeyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.EncryptionKeys.AnyAsync(k => k.IsPanelKey, ct))
        {
            return;
        }

        var identity = AgeIdentity.Generate();
        db.EncryptionKeys.Add(new EncryptionKey
        {
            Id = Guid.NewGuid(), IsPanelKey = true, Label = "Panel key", PublicKey = identity.Recipient.ToString(),
            ProtectedIdentity = secrets.Protect(identity.ToSecretString()), CreatedAt = clock.GetUtcNow(), AddedBy = "panel",
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another node made it first: theirs stands.
        }
    }

    /// <summary>Every key, the panel's first.</summary>
    public async Task<IReadOnlyList<EncryptionKey>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.EncryptionKeys.AsNoTracking().OrderByDescending(k => k.IsPanelKey).ThenBy(k => k.CreatedAt).ToListAsync(ct);
        keys.ForEach(k => k.ProtectedIdentity = null);
        return keys;
    }

    /// <summary>The recipients a new backup is encrypted to: the panel key and every Admin key.</summary>
    public async Task<IReadOnlyList<AgeRecipient>> RecipientsAsync(CancellationToken ct)
    {
        await EnsurePanelKeyAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.EncryptionKeys.AsNoTracking().Select(k => k.PublicKey).ToListAsync(ct);
        return keys.Select(AgeRecipient.Parse).ToList();
    }

    /// <summary>The panel's identity, to verify and restore. Never log or show it.</summary>
    public async Task<AgeIdentity> PanelIdentityAsync(CancellationToken ct)
    {
        await EnsurePanelKeyAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.EncryptionKeys.AsNoTracking().SingleAsync(k => k.IsPanelKey, ct);
        return AgeIdentity.Parse(secrets.Unprotect(key.ProtectedIdentity!));
    }

    /// <summary>True until someone downloaded the recovery kit: the dashboard warns.</summary>
    public async Task<bool> RecoveryKitMissingAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return !await db.EncryptionKeys.AnyAsync(k => k.IsPanelKey && k.RecoveryKitDownloadedAt != null, ct);
    }

    /// <summary>
    /// The recovery kit: an age identity file whose comment lines are the instructions, so the file itself is what
    /// <c>age -d -i</c> takes. Records and audits the download.
    /// </summary>
    public async Task<string> RecoveryKitAsync(AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var identity = await PanelIdentityAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.EncryptionKeys.SingleAsync(k => k.IsPanelKey, ct);
        key.RecoveryKitDownloadedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(actor, AuditActions.RecoveryKitDownloaded, AuditOutcome.Success, "encryption-key", key.PublicKey, ct: ct);
        return RecoveryKit.Text(identity, key.CreatedAt);
    }

    /// <summary>Adds an Admin's age public key; later backups are encrypted to it too.</summary>
    public async Task<EncryptionKeyResult> AddAsync(string label, string publicKey, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        label = (label ?? "").Trim();
        if (label.Length is 0 or > 100)
        {
            return EncryptionKeyResult.Failed("Label", "Give the key a name of 1 to 100 characters, e.g. whose it is.");
        }

        if (publicKey?.Trim().StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase) == true)
        {
            return EncryptionKeyResult.Failed("PublicKey", "That is a private key: keep it secret and paste its public key (age1…) instead.");
        }

        if (!AgeRecipient.TryParse(publicKey, out var recipient))
        {
            return EncryptionKeyResult.Failed("PublicKey", "Not an age public key: it must look like age1… (62 characters, from age-keygen).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.EncryptionKeys.CountAsync(k => !k.IsPanelKey, ct) >= MaxExtraKeys)
        {
            return EncryptionKeyResult.Failed("PublicKey", $"At most {MaxExtraKeys} extra keys; remove one first.");
        }

        var key = new EncryptionKey { Id = Guid.NewGuid(), Label = label, PublicKey = recipient.ToString(), CreatedAt = clock.GetUtcNow(), AddedBy = actor.UserName };
        db.EncryptionKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return EncryptionKeyResult.Failed("PublicKey", "This key is already on the list.");
        }

        await audit.WriteAsync(actor, AuditActions.EncryptionKeyAdded, AuditOutcome.Success, "encryption-key", key.PublicKey, label, ct);
        return new EncryptionKeyResult(key.Id, null, null);
    }

    /// <summary>Removes an Admin's key (later backups are no longer encrypted to it). The panel key cannot go.</summary>
    public async Task<EncryptionKeyResult> RemoveAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.EncryptionKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null || key.IsPanelKey)
        {
            return EncryptionKeyResult.Failed("PublicKey", key is null ? "This key is not on the list (any more)." : "The panel's own key cannot be removed.");
        }

        db.EncryptionKeys.Remove(key);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(actor, AuditActions.EncryptionKeyRemoved, AuditOutcome.Success, "encryption-key", key.PublicKey, key.Label, ct);
        return new EncryptionKeyResult(id, null, null);
    }
}
