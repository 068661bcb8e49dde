using BackupPanel.Core.Backups;
using BackupPanel.Core.Schedules;

namespace BackupPanel.Core.Plans;

/// <summary>
/// A backup plan (docs/SCHEDULES.md): which domains are backed up, what, when (in the plan's time zone), where to,
/// and how long backups are kept. Each enabled plan has one Hangfire recurring job, kept in sync by
/// <see cref="PlanScheduler"/>; the plans table is the only source of truth.
/// </summary>
public sealed class Plan
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public bool Enabled { get; set; } = true;

    public BackupType Type { get; set; } = BackupType.Full;

    public Schedule Schedule { get; set; } = new();

    public RetentionRules Retention { get; set; } = new();

    /// <summary>Deletions wait while a domain's last this-many finished runs all failed (0: never wait).</summary>
    public int HoldAfterFailedRuns { get; set; } = 3;

    /// <summary>zstd level, 1–19.</summary>
    public int CompressionLevel { get; set; } = 3;

    public bool Encrypt { get; set; } = true;

    public bool VerifyAfterBackup { get; set; }

    /// <summary>Who hears about this plan's backups, besides the global admin list.</summary>
    public List<string> NotifyEmails { get; set; } = [];

    /// <summary>Which events reach this plan's addresses and webhook.</summary>
    public Notifications.NotificationEvents NotifyOn { get; set; } = Notifications.NotificationEvents.Problems;

    /// <summary>Receives a signed JSON POST per event (docs/SCHEDULES.md, "Webhooks").</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The webhook's HMAC-SHA256 key, encrypted at rest.</summary>
    public string? WebhookSecretCipher { get; set; }

    /// <summary>A healthchecks.io-style URL: <c>/start</c> when a run starts, the URL itself on success, <c>/fail</c> on failure.</summary>
    public string? PingUrl { get; set; }

    public List<PlanDomain> Domains { get; set; } = [];

    public List<PlanDestination> Destinations { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The Hangfire recurring job's id for this plan.</summary>
    public string RecurringJobId => PlanScheduler.JobIdOf(Id);
}

/// <summary>A domain a plan backs up.</summary>
public sealed class PlanDomain
{
    public Guid PlanId { get; set; }

    public Guid DomainId { get; set; }
}

/// <summary>A destination a plan writes to, with its own retention rules when it overrides the plan's.</summary>
public sealed class PlanDestination
{
    public Guid PlanId { get; set; }

    public Guid DestinationId { get; set; }

    public bool OverridesRetention { get; set; }

    /// <summary>Used only when <see cref="OverridesRetention"/> is set.</summary>
    public RetentionRules Retention { get; set; } = new();
}
