using System.ComponentModel.DataAnnotations;

namespace BackupPanel.Core.Notifications;

/// <summary>
/// How hard delivery tries (keys <c>BackupPanel:Notification*</c>, docs/CONFIGURATION.md): <see cref="NotificationRetries"/>
/// more attempts after the first, waiting <see cref="FirstRetry"/> × 5ⁿ between them (1 min, 5 min, 25 min, 2 h with
/// the defaults), each attempt given <see cref="Timeout"/>.
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "BackupPanel";

    /// <summary>More attempts after a notification's first one fails.</summary>
    [Range(0, 10)]
    public int NotificationRetries { get; set; } = 4;

    /// <summary>The wait before the first retry, in seconds; each next wait is five times longer.</summary>
    [Range(1, 3600)]
    public int NotificationFirstRetrySeconds { get; set; } = 60;

    /// <summary>How long one SMTP, webhook or ping attempt may take, in seconds.</summary>
    [Range(1, 300)]
    public int NotificationTimeoutSeconds { get; set; } = 30;

    public TimeSpan FirstRetry => TimeSpan.FromSeconds(NotificationFirstRetrySeconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(NotificationTimeoutSeconds);

    /// <summary>The wait before the attempt after <paramref name="attempts"/> failed ones, or null when there is none left.</summary>
    public TimeSpan? DelayAfter(int attempts) => attempts > NotificationRetries ? null : FirstRetry * Math.Pow(5, attempts - 1);
}
