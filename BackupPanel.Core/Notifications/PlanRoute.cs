namespace BackupPanel.Core.Notifications;

/// <summary>
/// How a plan routes its notifications: the events it takes, its addresses, its webhook and its ping URL. The
/// webhook's signing secret is Data Protection ciphertext, decrypted only to sign.
/// </summary>
public sealed record PlanRoute(
    Guid PlanId, string PlanName, NotificationEvents NotifyOn, IReadOnlyList<string> Emails, string? WebhookUrl, string? PingUrl, string? WebhookSecretCipher);

/// <summary>
/// Where notifications find a plan's route. Plans provide it, so that notifications, which report on plans' runs,
/// need not know the plan itself.
/// </summary>
public interface IPlanRoutes
{
    /// <summary>The plan's route, or null when there is no such plan (any more) or <paramref name="planId"/> is null.</summary>
    Task<PlanRoute?> GetAsync(Guid? planId, CancellationToken ct);
}
