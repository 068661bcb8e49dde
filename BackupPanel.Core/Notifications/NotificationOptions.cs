namespace BackupPanel.Core.Notifications;

/// <summary>
/// How hard delivery tries: <paramref name="Retries"/> more attempts after the first, waiting
/// <paramref name="FirstRetry"/> × 5ⁿ between them (1 min, 5 min, 25 min, 2 h with the defaults), each attempt given
/// <paramref name="Timeout"/>.
/// </summary>
public sealed record NotificationOptions(int Retries, TimeSpan FirstRetry, TimeSpan Timeout)
{
    public static NotificationOptions Default { get; } = new(4, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    /// <summary>The wait before the attempt after <paramref name="attempts"/> failed ones, or null when there is none left.</summary>
    public TimeSpan? DelayAfter(int attempts) => attempts > Retries ? null : FirstRetry * Math.Pow(5, attempts - 1);
}
