using BackupPanel.Core.Archive.Age;

namespace BackupPanel.Core.Encryption;

/// <summary>The recovery kit's text: instructions as comment lines, then the identity, so age reads the file as is.</summary>
public static class RecoveryKit
{
    public const string FileName = "backuppanel-recovery-kit.txt";

    public static string Text(AgeIdentity identity, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return $"""
            # BackupPanel recovery kit. KEEP THIS FILE SECRET AND SAFE, away from the server it protects.
            #
            # It decrypts every backup this panel encrypted (.age files), with or without BackupPanel.
            # This whole file is an age identity file: give it to age as it is.
            #
            # Restore a files or mail archive by hand (Debian/Ubuntu: apt install age zstd):
            #   age -d -i {FileName} files.tar.zst.age | zstd -d | tar -xpf - -C /restore/here
            # A PostgreSQL dump:
            #   age -d -i {FileName} db-postgresql-NAME.dump.zst.age | zstd -d > NAME.dump && pg_restore -d NAME NAME.dump
            # A MySQL/MariaDB dump:
            #   age -d -i {FileName} db-mysql-NAME.sql.zst.age | zstd -d | mariadb NAME
            # Or with BackupPanel's command line, no database needed:
            #   BackupPanel archive extract --from BACKUP_FOLDER --to /restore/here --identity {FileName}
            # Check a backup first: sha256sum each file against manifest.json ("storedSha256"), and that the
            # panel signed manifest.json: manifest.sig is an HMAC-SHA256 of it under a key derived from the secret
            # below (the openssl lines are in docs/FORMAT.md, "The signature"). More: docs/RESTORE-BY-HAND.md.
            #
            # This file is all you need to open the backups. To bring the panel itself back on a new server (its
            # users, plans, history and stored passwords), also keep a dump of its database and, from its data
            # folder, keyring.key (without it the stored passwords cannot be decrypted); docs/OPERATIONS.md.
            #
            # created: {createdAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}
            # public key: {identity.Recipient}
            {identity.ToSecretString()}

            """;
    }
}
