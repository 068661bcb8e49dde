using BackupPanel.Core.Archive.Age;
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
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        if (await db.EncryptionKeys.AnyAsync(k => k.IsPanelKey, ct).ConfigureAwait(false))
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
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another node made it first: theirs stands.
        }
    }

    /// <summary>Every key, the panel's first.</summary>
    public async Task<IReadOnlyList<EncryptionKey>> ListAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var keys = await db.EncryptionKeys.AsNoTracking().OrderByDescending(k => k.IsPanelKey).ThenBy(k => k.CreatedAt).ToListAsync(ct).ConfigureAwait(false);
        keys.ForEach(k => k.ProtectedIdentity = null);
        return keys;
    }

    /// <summary>The recipients a new backup is encrypted to: the panel key and every Admin key.</summary>
    public async Task<IReadOnlyList<AgeRecipient>> RecipientsAsync(CancellationToken ct)
    {
        await EnsurePanelKeyAsync(ct).ConfigureAwait(false);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var keys = await db.EncryptionKeys.AsNoTracking().Select(k => k.PublicKey).ToListAsync(ct).ConfigureAwait(false);
        return keys.Select(AgeRecipient.Parse).ToList();
    }

    /// <summary>The panel's identity, to verify and restore. Never log or show it.</summary>
    public async Task<AgeIdentity> PanelIdentityAsync(CancellationToken ct)
    {
        await EnsurePanelKeyAsync(ct).ConfigureAwait(false);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var key = await db.EncryptionKeys.AsNoTracking().SingleAsync(k => k.IsPanelKey, ct).ConfigureAwait(false);
        return AgeIdentity.Parse(secrets.Unprotect(key.ProtectedIdentity!));
    }

    /// <summary>
    /// Every identity the panel can decrypt with: its own, and those restored from recovery kits (backups made by an
    /// earlier installation). Never log or show them.
    /// </summary>
    public async Task<IReadOnlyList<AgeIdentity>> DecryptionIdentitiesAsync(CancellationToken ct)
    {
        await EnsurePanelKeyAsync(ct).ConfigureAwait(false);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var keys = await db.EncryptionKeys.AsNoTracking().Where(k => k.ProtectedIdentity != null).OrderByDescending(k => k.IsPanelKey).ToListAsync(ct).ConfigureAwait(false);
        return keys.Select(k => AgeIdentity.Parse(secrets.Unprotect(k.ProtectedIdentity!))).ToList();
    }

    /// <summary>
    /// Takes the key from a recovery kit (an earlier installation's, after a disaster) so that the backups encrypted to
    /// it can be verified and restored here; later backups are encrypted to it too. The identity is stored encrypted.
    /// </summary>
    public async Task<EncryptionKeyResult> ImportRecoveryKitAsync(string kit, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var line = (kit ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.OrdinalIgnoreCase));
        AgeIdentity identity;
        try
        {
            identity = AgeIdentity.Parse(line ?? throw new FormatException());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return EncryptionKeyResult.Failed("Kit", "No age identity found: paste the whole recovery kit (its AGE-SECRET-KEY-1… line is what counts).");
        }

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var publicKey = identity.Recipient.ToString();
        var key = await db.EncryptionKeys.SingleOrDefaultAsync(k => k.PublicKey == publicKey, ct).ConfigureAwait(false);
        if (key?.ProtectedIdentity is not null)
        {
            return EncryptionKeyResult.Failed("Kit", "The panel can already decrypt with this key.");
        }

        if (key is null)
        {
            key = new EncryptionKey { Id = Guid.NewGuid(), Label = "Restored from a recovery kit", PublicKey = publicKey, CreatedAt = clock.GetUtcNow(), AddedBy = actor.UserName };
            db.EncryptionKeys.Add(key);
        }

        key.ProtectedIdentity = secrets.Protect(identity.ToSecretString());
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.RecoveryKitImported, AuditOutcome.Success, "encryption-key", publicKey, ct: ct).ConfigureAwait(false);
        return new EncryptionKeyResult(key.Id, null, null);
    }

    /// <summary>True until someone downloaded the recovery kit: the dashboard warns.</summary>
    public async Task<bool> RecoveryKitMissingAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return !await db.EncryptionKeys.AnyAsync(k => k.IsPanelKey && k.RecoveryKitDownloadedAt != null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The recovery kit: an age identity file whose comment lines are the instructions, so the file itself is what
    /// <c>age -d -i</c> takes. Records and audits the download.
    /// </summary>
    public async Task<string> RecoveryKitAsync(AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var identity = await PanelIdentityAsync(ct).ConfigureAwait(false);
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var key = await db.EncryptionKeys.SingleAsync(k => k.IsPanelKey, ct).ConfigureAwait(false);
        key.RecoveryKitDownloadedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.RecoveryKitDownloaded, AuditOutcome.Success, "encryption-key", key.PublicKey, ct: ct).ConfigureAwait(false);
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

        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        if (await db.EncryptionKeys.CountAsync(k => !k.IsPanelKey, ct).ConfigureAwait(false) >= MaxExtraKeys)
        {
            return EncryptionKeyResult.Failed("PublicKey", $"At most {MaxExtraKeys} extra keys; remove one first.");
        }

        var key = new EncryptionKey { Id = Guid.NewGuid(), Label = label, PublicKey = recipient.ToString(), CreatedAt = clock.GetUtcNow(), AddedBy = actor.UserName };
        db.EncryptionKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return EncryptionKeyResult.Failed("PublicKey", "This key is already on the list.");
        }

        await audit.WriteAsync(actor, AuditActions.EncryptionKeyAdded, AuditOutcome.Success, "encryption-key", key.PublicKey, label, ct).ConfigureAwait(false);
        return new EncryptionKeyResult(key.Id, null, null);
    }

    /// <summary>Removes an Admin's key (later backups are no longer encrypted to it). The panel key cannot go.</summary>
    public async Task<EncryptionKeyResult> RemoveAsync(Guid id, AuditActor actor, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var key = await db.EncryptionKeys.SingleOrDefaultAsync(k => k.Id == id, ct).ConfigureAwait(false);
        if (key is null || key.IsPanelKey)
        {
            return EncryptionKeyResult.Failed("PublicKey", key is null ? "This key is not on the list (any more)." : "The panel's own key cannot be removed.");
        }

        db.EncryptionKeys.Remove(key);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.EncryptionKeyRemoved, AuditOutcome.Success, "encryption-key", key.PublicKey, key.Label, ct).ConfigureAwait(false);
        return new EncryptionKeyResult(id, null, null);
    }
}
