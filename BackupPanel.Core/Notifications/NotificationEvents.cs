namespace BackupPanel.Core.Notifications;

/// <summary>What people can be told about (docs/SCHEDULES.md, "Notifications"). A set: a plan or the admin list picks several.</summary>
[Flags]
public enum NotificationEvents
{
    None = 0,
    BackupFailed = 1,
    BackupPartiallySucceeded = 2,

    /// <summary>Opt-in: a quiet inbox is the point.</summary>
    BackupSucceeded = 4,
    BackupMissed = 8,
    VerifyFailed = 16,
    RestoreFinished = 32,
    RetentionDeleted = 64,
    DestinationUnreachable = 128,
    DomainAtRisk = 256,

    /// <summary>Everything but successes: the default for plans and for the admin list.</summary>
    Problems = BackupFailed | BackupPartiallySucceeded | BackupMissed | VerifyFailed | RestoreFinished | RetentionDeleted
        | DestinationUnreachable | DomainAtRisk,
}

public static class NotificationEventNames
{
    /// <summary>Each single event, in the order forms list them.</summary>
    public static readonly IReadOnlyList<NotificationEvents> All =
    [
        NotificationEvents.BackupFailed, NotificationEvents.BackupPartiallySucceeded, NotificationEvents.BackupSucceeded,
        NotificationEvents.BackupMissed, NotificationEvents.VerifyFailed, NotificationEvents.RestoreFinished,
        NotificationEvents.RetentionDeleted, NotificationEvents.DestinationUnreachable, NotificationEvents.DomainAtRisk,
    ];

    /// <summary>The name used in webhook payloads: "backup.failed", "domain.at-risk", …</summary>
    public static string Key(NotificationEvents e) => e switch
    {
        NotificationEvents.BackupFailed => "backup.failed",
        NotificationEvents.BackupPartiallySucceeded => "backup.partially-succeeded",
        NotificationEvents.BackupSucceeded => "backup.succeeded",
        NotificationEvents.BackupMissed => "backup.missed",
        NotificationEvents.VerifyFailed => "verify.failed",
        NotificationEvents.RestoreFinished => "restore.finished",
        NotificationEvents.RetentionDeleted => "retention.deleted",
        NotificationEvents.DestinationUnreachable => "destination.unreachable",
        NotificationEvents.DomainAtRisk => "domain.at-risk",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "one event at a time"),
    };

    /// <summary>How a form labels the event.</summary>
    public static string Label(NotificationEvents e) => e switch
    {
        NotificationEvents.BackupFailed => "Backup failed",
        NotificationEvents.BackupPartiallySucceeded => "Backup partially succeeded",
        NotificationEvents.BackupSucceeded => "Backup succeeded",
        NotificationEvents.BackupMissed => "Run missed",
        NotificationEvents.VerifyFailed => "Verification failed",
        NotificationEvents.RestoreFinished => "Restore finished",
        NotificationEvents.RetentionDeleted => "Retention deleted backups",
        NotificationEvents.DestinationUnreachable => "Destination unreachable",
        NotificationEvents.DomainAtRisk => "Domain at risk",
        _ => e.ToString(),
    };
}
