namespace BackupPanel.Core.Security.Audit;

/// <summary>Names of audited actions, dotted "area.verb".</summary>
public static class AuditActions
{
    public const string SignIn = "auth.sign-in";
    public const string SignInTwoFactor = "auth.sign-in-2fa";
    public const string SignOut = "auth.sign-out";
    public const string Lockout = "auth.lockout";
    public const string PasswordChanged = "auth.password-changed";
    public const string TwoFactorEnabled = "auth.2fa-enabled";
    public const string TwoFactorDisabled = "auth.2fa-disabled";
    public const string TwoFactorPolicyChanged = "security.two-factor-policy-changed";
    public const string RecoveryCodesGenerated = "auth.recovery-codes-generated";
    public const string FirstAdminCreated = "setup.first-admin";
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role-changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserDeleted = "user.deleted";
    public const string DomainCreated = "domain.created";
    public const string DomainChanged = "domain.changed";
    public const string DomainDeleted = "domain.deleted";
    public const string DestinationCreated = "destination.created";
    public const string DestinationChanged = "destination.changed";
    public const string DestinationDeleted = "destination.deleted";
    public const string PlanCreated = "plan.created";
    public const string PlanChanged = "plan.changed";
    public const string PlanDeleted = "plan.deleted";
    public const string PlanRunNow = "plan.run-now";
    public const string RetentionDeleted = "retention.deleted";
    public const string NotificationSettingsChanged = "notifications.settings-changed";
    public const string AllowedRootsChanged = "security.allowed-roots-changed";
    public const string NotificationTestSent = "notifications.test-sent";
    public const string CatalogImported = "destination.backups-imported";
    public const string BackupStarted = "backup.started";
    public const string BackupCancelled = "backup.cancelled";
    public const string BackupDeleted = "backup.deleted";
    public const string BackupDownloaded = "backup.downloaded";
    public const string BackupVerified = "backup.verified";
    public const string BackupPinned = "backup.pinned";
    public const string BackupUnpinned = "backup.unpinned";
    public const string RestoreStarted = "restore.started";
    public const string BulkRestoreStarted = "restore.bulk-started";
    public const string BulkRestoreCancelled = "restore.bulk-cancelled";
    public const string BulkRestoreRerun = "restore.bulk-rerun";
    public const string BulkRestoreFinished = "restore.bulk-finished";
    public const string ImportCreated = "import.created";
    public const string ImportStarted = "import.started";
    public const string ImportFinished = "import.finished";
    public const string EncryptionKeyAdded = "encryption.key-added";
    public const string EncryptionKeyRemoved = "encryption.key-removed";
    public const string RecoveryKitDownloaded = "encryption.recovery-kit-downloaded";
    public const string RecoveryKitImported = "encryption.recovery-kit-imported";
}
