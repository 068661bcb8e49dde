namespace BackupPanel.Core.Notifications;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text: only for a relay on the same machine or network.</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS (usually port 587); refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// The panel's one row of notification settings (Admin): the SMTP server, who hears about everything, and the panel's
/// address for links in messages. The password is stored encrypted (<see cref="Security.SecretProtector"/>).
/// </summary>
public sealed class NotificationSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string SmtpHost { get; set; } = "";

    public int SmtpPort { get; set; } = 587;

    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;

    public string? SmtpUser { get; set; }

    /// <summary>The SMTP password's ciphertext; null when the server needs no login.</summary>
    public string? SmtpPasswordCipher { get; set; }

    /// <summary>A self-signed server's certificate, trusted by its SHA-256 fingerprint ("AB:CD:…"); never "trust everything".</summary>
    public string? CertificateSha256 { get; set; }

    public string FromAddress { get; set; } = "";

    /// <summary>Who hears about every plan (the global admin list).</summary>
    public List<string> AdminEmails { get; set; } = [];

    public NotificationEvents AdminEvents { get; set; } = NotificationEvents.Problems;

    /// <summary>The panel's address as people reach it ("https://backups.example.com/"), for links in messages.</summary>
    public string? PanelUrl { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Email can be sent: a server and a sender are set.</summary>
    public bool EmailReady => SmtpHost.Length > 0 && FromAddress.Length > 0;
}
