using BackupPanel.Core.Backups;
using BackupPanel.Core.Schedules;

namespace BackupPanel.Core.Plans;

/// <summary>The plan form. Errors are keyed by field: <c>Name</c>, <c>Domains</c>, <c>Destinations</c>, <c>Schedule.Cron</c>, <c>Retention.KeepDaily</c>, …</summary>
public sealed class PlanInput
{
    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public BackupType Type { get; set; } = BackupType.Full;
    public Schedule Schedule { get; set; } = new();
    public RetentionRules Retention { get; set; } = new() { KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 12 };
    public int HoldAfterFailedRuns { get; set; } = 3;
    public int CompressionLevel { get; set; } = 3;
    public bool Encrypt { get; set; } = true;
    public bool VerifyAfterBackup { get; set; }
    public List<Guid> DomainIds { get; set; } = [];

    /// <summary>Addresses, separated by commas or lines.</summary>
    public string NotifyEmails { get; set; } = "";
    public Notifications.NotificationEvents NotifyOn { get; set; } = Notifications.NotificationEvents.Problems;
    public string? WebhookUrl { get; set; }

    /// <summary>Write-only: empty keeps the stored one (<see cref="HasWebhookSecret"/>).</summary>
    public string? WebhookSecret { get; set; }
    public bool HasWebhookSecret { get; set; }
    public string? PingUrl { get; set; }

    /// <summary>The destinations, each with its retention override (null: the plan's rules).</summary>
    public Dictionary<Guid, RetentionRules?> Destinations { get; set; } = [];

    /// <summary>The form for an existing plan.</summary>
    public static PlanInput From(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanInput
        {
            Name = plan.Name, Enabled = plan.Enabled, Type = plan.Type, Schedule = plan.Schedule, Retention = plan.Retention,
            HoldAfterFailedRuns = plan.HoldAfterFailedRuns, CompressionLevel = plan.CompressionLevel, Encrypt = plan.Encrypt,
            VerifyAfterBackup = plan.VerifyAfterBackup, DomainIds = [.. plan.Domains.Select(d => d.DomainId)],
            Destinations = plan.Destinations.ToDictionary(d => d.DestinationId, d => d.OverridesRetention ? d.Retention : null),
            NotifyEmails = string.Join(", ", plan.NotifyEmails), NotifyOn = plan.NotifyOn, WebhookUrl = plan.WebhookUrl,
            HasWebhookSecret = plan.WebhookSecretCipher is not null, PingUrl = plan.PingUrl,
        };
    }

    /// <summary>What is wrong with the form on its own (the service also checks names, domains and destinations exist).</summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = Name?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            errors[nameof(Name)] = "Give the plan a name of 1 to 100 characters.";
        }

        if (DomainIds.Count == 0)
        {
            errors[nameof(DomainIds)] = "Choose at least one domain.";
        }

        if (Destinations.Count == 0)
        {
            errors[nameof(Destinations)] = "Choose at least one destination.";
        }

        if (DomainIds.Count > 10_000 || Destinations.Count > 100)
        {
            errors[DomainIds.Count > 10_000 ? nameof(DomainIds) : nameof(Destinations)] = "Too many for one plan.";
        }

        if (!Enum.IsDefined(Type))
        {
            errors[nameof(Type)] = "Choose what to back up.";
        }

        foreach (var (field, message) in Schedule.Validate())
        {
            errors[$"{nameof(Schedule)}.{field}"] = message;
        }

        foreach (var (field, message) in Retention.Validate())
        {
            errors[$"{nameof(Retention)}.{field}"] = message;
        }

        foreach (var (destination, rules) in Destinations)
        {
            foreach (var (field, message) in rules?.Validate() ?? new Dictionary<string, string>())
            {
                errors[$"{nameof(Destinations)}[{destination}].{field}"] = message; // at that destination's own rules
            }
        }

        if (CompressionLevel is < 1 or > 19)
        {
            errors[nameof(CompressionLevel)] = "Compression level is 1 (fastest) to 19 (smallest).";
        }

        if (HoldAfterFailedRuns is < 0 or > 100)
        {
            errors[nameof(HoldAfterFailedRuns)] = "Use 0 (never wait) to 100 failed runs.";
        }

        if (Notifications.AddressRules.ParseEmails(NotifyEmails).Error is { } emailError)
        {
            errors[nameof(NotifyEmails)] = emailError;
        }

        if (Notifications.AddressRules.UrlError(WebhookUrl) is { } webhookError)
        {
            errors[nameof(WebhookUrl)] = webhookError;
        }
        else if (WebhookUrl is { Length: > 0 } && !HasWebhookSecret && string.IsNullOrEmpty(WebhookSecret))
        {
            errors[nameof(WebhookSecret)] = "A webhook needs a secret to sign its messages with.";
        }

        if (WebhookSecret is { Length: > 0 } secret && (secret.Length is < 16 or > 1024 || secret.Any(char.IsControl)))
        {
            errors[nameof(WebhookSecret)] = "Use 16 to 1024 characters (a long random string).";
        }

        if (Notifications.AddressRules.UrlError(PingUrl) is { } pingError)
        {
            errors[nameof(PingUrl)] = pingError;
        }

        return errors;
    }
}
