using System.Net.Security;
using System.Net.Sockets;
using BackupPanel.Core.Storage.Ftp;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BackupPanel.Core.Notifications;

/// <summary>A delivery that did not happen, with a sentence for people (never a password).</summary>
public sealed class NotificationDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Sends one message through the configured SMTP server with MailKit. Certificates are checked as usual; a
/// self-signed server is trusted only through its pinned SHA-256 fingerprint. Failures become one clear sentence.
/// </summary>
public sealed class EmailSender(NotificationOptions options)
{
    public async Task SendAsync(NotificationSettings settings, string? password, string to, string subject, string text, string? html, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.FromAddress));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Headers.Add("Auto-Submitted", "auto-generated"); // no vacation replies back to the panel
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        string? seen = null;
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            seen = certificate is null ? null : FtpSettings.FingerprintOf(certificate);
            return seen is not null && settings.CertificateSha256 is { Length: > 0 } pin && FtpSettings.NormalizeFingerprint(pin) == seen;
        };
        var where = $"{settings.SmtpHost}:{settings.SmtpPort}";
        try
        {
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.SmtpSecurity switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, ct).ConfigureAwait(false);
            if (settings.SmtpUser is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, password ?? "", ct).ConfigureAwait(false);
            }

            await client.SendAsync(message, ct).ConfigureAwait(false);
            await client.DisconnectAsync(true, ct).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            throw new NotificationDeliveryException($"The SMTP server {where} refused the user name or password: {ex.Message}", ex);
        }
        catch (SslHandshakeException ex)
        {
            throw new NotificationDeliveryException(seen is null
                ? $"TLS with {where} failed: {ex.Message}"
                : $"The certificate of {where} is not trusted (SHA-256 {seen}). If this is your own self-signed server, pin that fingerprint.", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new NotificationDeliveryException(settings.SmtpSecurity == SmtpSecurity.StartTls
                ? $"{where} does not offer STARTTLS; choose SSL on connect, or None only for a local relay."
                : $"{where} does not accept a login on this connection ({ex.Message}); most servers want STARTTLS or SSL first.", ex);
        }
        catch (SmtpCommandException ex)
        {
            throw new NotificationDeliveryException($"The SMTP server {where} refused the message ({(int)ex.StatusCode}): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException)
        {
            throw new NotificationDeliveryException($"Could not talk to the SMTP server {where}: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new NotificationDeliveryException($"The SMTP server {where} did not answer within {options.Timeout.TotalSeconds:0} s.", ex);
        }
        catch (TimeoutException ex)
        {
            throw new NotificationDeliveryException($"The SMTP server {where} did not answer within {options.Timeout.TotalSeconds:0} s.", ex);
        }
    }
}
