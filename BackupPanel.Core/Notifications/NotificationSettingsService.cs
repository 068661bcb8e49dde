using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using BackupPanel.Core.Storage.Ftp;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Notifications;

/// <summary>The notification settings form. The password is write-only: empty keeps the stored one.</summary>
public sealed class NotificationSettingsInput
{
    public string SmtpHost { get; set; } = "";
    public int SmtpPort { get; set; } = 587;
    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public bool HasSmtpPassword { get; set; }
    public string? CertificateSha256 { get; set; }
    public string FromAddress { get; set; } = "";
    public string AdminEmails { get; set; } = "";
    public NotificationEvents AdminEvents { get; set; } = NotificationEvents.Problems;
    public string? PanelUrl { get; set; }

    public static NotificationSettingsInput From(NotificationSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new()
        {
            SmtpHost = s.SmtpHost, SmtpPort = s.SmtpPort, SmtpSecurity = s.SmtpSecurity, SmtpUser = s.SmtpUser, HasSmtpPassword = s.SmtpPasswordCipher is not null,
            CertificateSha256 = s.CertificateSha256, FromAddress = s.FromAddress, AdminEmails = string.Join(", ", s.AdminEmails), AdminEvents = s.AdminEvents,
            PanelUrl = s.PanelUrl,
        };
    }

    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var host = SmtpHost?.Trim() ?? "";
        if (host.Length > 255 || host.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '@'))
        {
            errors[nameof(SmtpHost)] = "Give a host name or IP address, without a scheme or path.";
        }

        if (host.Length > 0 && !AddressRules.IsEmail(FromAddress?.Trim()))
        {
            errors[nameof(FromAddress)] = "Give the sender's address, such as backups@example.com.";
        }

        if (SmtpPort is < 1 or > 65535) errors[nameof(SmtpPort)] = "The port is 1 to 65535 (587 for STARTTLS, 465 for SSL, 25 for a local relay).";
        if (!Enum.IsDefined(SmtpSecurity)) errors[nameof(SmtpSecurity)] = "Choose how the connection is secured.";
        if (SmtpUser is { Length: > 255 } || SmtpUser?.Any(char.IsControl) == true) errors[nameof(SmtpUser)] = "The user name is too long or has control characters.";
        if (SmtpPassword is { Length: > 1024 } || SmtpPassword?.Any(c => c is '\r' or '\n' or '\0') == true) errors[nameof(SmtpPassword)] = "The password is too long or has line breaks.";
        if (CertificateSha256 is { Length: > 0 } pin && FtpSettings.NormalizeFingerprint(pin).Length != 95)
        {
            errors[nameof(CertificateSha256)] = "Paste a SHA-256 fingerprint: 32 bytes in hex, such as AB:CD:….";
        }

        if (AddressRules.ParseEmails(AdminEmails).Error is { } emailError) errors[nameof(AdminEmails)] = emailError;
        if (AddressRules.UrlError(PanelUrl) is { } urlError) errors[nameof(PanelUrl)] = urlError;
        return errors;
    }
}

/// <summary>Reads and saves the notification settings (Admin, audited) and sends the test email.</summary>
public sealed class NotificationSettingsService(
    IDbContextFactory<BackupPanelDbContext> dbFactory, EmailSender email, SecretProtector secrets, AuditService audit, TimeProvider clock)
{
    public async Task<NotificationSettings> GetAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        return await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(ct).ConfigureAwait(false) ?? new NotificationSettings();
    }

    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(NotificationSettingsInput input, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = input.Validate();
        if (errors.Count > 0) return errors;
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var dbScope = db.ConfigureAwait(false);
        var s = await db.NotificationSettings.SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (s is null)
        {
            s = new NotificationSettings();
            db.NotificationSettings.Add(s);
        }

        if (s.SmtpPasswordCipher is not null && string.IsNullOrEmpty(input.SmtpPassword) && !SameServer(s, input))
        {
            errors[nameof(NotificationSettingsInput.SmtpPassword)] = PasswordAgain;
            return errors;
        }

        Apply(input, s);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(actor, AuditActions.NotificationSettingsChanged, AuditOutcome.Success, "settings", "notifications",
            s.EmailReady ? $"SMTP {s.SmtpHost}:{s.SmtpPort} ({s.SmtpSecurity}), from {s.FromAddress}, {s.AdminEmails.Count} admin address(es)" : "email off", ct).ConfigureAwait(false);
        return errors;
    }

    /// <summary>Sends a test message with the form's values (saved or not); returns null on success or the reason it failed.</summary>
    public async Task<string?> SendTestAsync(NotificationSettingsInput input, string to, AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = input.Validate();
        if (input.SmtpHost.Trim().Length == 0) return "Give the SMTP server first.";
        if (errors.Count > 0) return string.Join(" ", errors.Values);
        if (!AddressRules.IsEmail(to)) return $"\"{to}\" is not an email address.";
        var stored = await GetAsync(ct).ConfigureAwait(false);
        var s = new NotificationSettings();
        Apply(input, s);
        if (string.IsNullOrEmpty(input.SmtpPassword) && stored.SmtpPasswordCipher is not null && !SameServer(stored, input))
        {
            return PasswordAgain; // the saved password is never sent to a server it was not given for
        }

        var password = input.SmtpPassword is { Length: > 0 } typed ? typed : stored.SmtpPasswordCipher is { } c ? secrets.Unprotect(c) : null;
        string? problem = null;
        try
        {
            await email.SendAsync(s, password, to, "[BackupPanel] Test message",
                $"This is a test message from BackupPanel.\nIf you can read it, notifications by email work.\n{s.PanelUrl}\n", null, ct).ConfigureAwait(false);
        }
        catch (NotificationDeliveryException ex)
        {
            problem = ex.Message;
        }

        await audit.WriteAsync(actor, AuditActions.NotificationTestSent, problem is null ? AuditOutcome.Success : AuditOutcome.Failure, "settings", to,
            problem ?? $"via {s.SmtpHost}:{s.SmtpPort}", ct).ConfigureAwait(false);
        return problem;
    }

    private const string PasswordAgain = "The server, port or user changed: enter the password again (a saved password is only sent where it was given for).";

    private static bool SameServer(NotificationSettings stored, NotificationSettingsInput input) =>
        string.Equals(stored.SmtpHost, input.SmtpHost.Trim(), StringComparison.OrdinalIgnoreCase) && stored.SmtpPort == input.SmtpPort
        && stored.SmtpUser == (string.IsNullOrWhiteSpace(input.SmtpUser) ? null : input.SmtpUser.Trim());

    private void Apply(NotificationSettingsInput input, NotificationSettings s)
    {
        s.SmtpHost = input.SmtpHost.Trim();
        (s.SmtpPort, s.SmtpSecurity, s.FromAddress) = (input.SmtpPort, input.SmtpSecurity, input.FromAddress.Trim());
        s.SmtpUser = string.IsNullOrWhiteSpace(input.SmtpUser) ? null : input.SmtpUser.Trim();
        if (input.SmtpPassword is { Length: > 0 } password) s.SmtpPasswordCipher = secrets.Protect(password);
        if (s.SmtpUser is null) s.SmtpPasswordCipher = null;
        s.CertificateSha256 = input.CertificateSha256 is { Length: > 0 } pin ? FtpSettings.NormalizeFingerprint(pin) : null;
        s.AdminEmails = AddressRules.ParseEmails(input.AdminEmails).Addresses;
        s.AdminEvents = input.AdminEvents;
        s.PanelUrl = string.IsNullOrWhiteSpace(input.PanelUrl) ? null : input.PanelUrl.Trim();
        s.UpdatedAt = clock.GetUtcNow();
    }
}
