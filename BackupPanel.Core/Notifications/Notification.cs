namespace BackupPanel.Core.Notifications;

public enum NotificationChannel
{
    Email,
    Webhook,

    /// <summary>A healthchecks.io-style ping: GET/POST to a URL on start, success and failure.</summary>
    Ping,
}

public enum NotificationStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending,
    Sent,

    /// <summary>Every attempt failed; <see cref="Notification.LastError"/> says why.</summary>
    Failed,
}

/// <summary>
/// One message to one recipient (an address or a URL), kept as the notification log: what was sent, to whom, when,
/// and after how many attempts. The rendered message is stored, so a retry sends exactly what the first try did.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>One event; <see cref="NotificationEvents.None"/> for a ping or a test message.</summary>
    public NotificationEvents Event { get; set; }

    public NotificationChannel Channel { get; set; }

    /// <summary>The address or the full URL (a ping URL is a capability: pages show <see cref="Shown"/>).</summary>
    public string Recipient { get; set; } = "";

    public string Subject { get; set; } = "";

    /// <summary>The plain-text body (email), or the JSON body (webhook), or empty (ping).</summary>
    public string Body { get; set; } = "";

    /// <summary>The HTML body of an email.</summary>
    public string? Html { get; set; }

    public Guid? PlanId { get; set; }

    public Guid? BackupId { get; set; }

    public string? DomainName { get; set; }

    public NotificationStatus Status { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The recipient as pages show it: an email address as is, a URL by scheme, host and the start of its path.</summary>
    public string Shown => Channel == NotificationChannel.Email ? Recipient : Redact(Recipient);

    public static string Redact(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri)
        ? $"{uri.Scheme}://{uri.Authority}{(uri.AbsolutePath.Length > 1 ? "/…" : "/")}"
        : "(not a URL)";
}

/// <summary>"This was already said" — one row per key, so an event raised twice (two nodes, a retried job) is sent once.</summary>
public sealed class NotificationMark
{
    public string Key { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
