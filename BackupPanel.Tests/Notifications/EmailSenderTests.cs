using BackupPanel.Core.Notifications;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Hosting;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Notifications;

/// <summary>MailKit against a real SMTP server in this process (STARTTLS + AUTH): what arrives, and each failure's sentence.</summary>
public sealed class EmailSenderTests : IAsyncDisposable
{
    private readonly SmtpTestServer _smtp = new();
    private readonly EmailSender _sender = new(new NotificationOptions { NotificationRetries = 0, NotificationFirstRetrySeconds = 1, NotificationTimeoutSeconds = 10 });

    public ValueTask DisposeAsync() => _smtp.DisposeAsync();

    private NotificationSettings Settings(string? pin = "auto", SmtpSecurity security = SmtpSecurity.StartTls, int? port = null) => new()
    {
        SmtpHost = "127.0.0.1", SmtpPort = port ?? _smtp.Port, SmtpSecurity = security, SmtpUser = SmtpTestServer.User,
        FromAddress = "backups@panel.test", CertificateSha256 = pin == "auto" ? FtpSettings.FingerprintOf(SmtpTestServer.Certificate) : pin,
    };

    [Fact]
    public async Task StartTlsWithLogin_DeliversTextAndHtmlWithUtf8Subject()
    {
        await _sender.SendAsync(Settings(), SmtpTestServer.Password, "ops@example.test", "[BackupPanel] Sauvegarde échouée ✗", "plain body", "<p>html body</p>", default);

        var message = await _smtp.WaitForAsync("ops@example.test", "Sauvegarde échouée ✗");
        Assert.Equal("backups@panel.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("plain body", message.TextBody?.Trim());
        Assert.Equal("<p>html body</p>", message.HtmlBody?.Trim());
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
    }

    [Fact]
    public async Task WrongPassword_SaysTheServerRefusedTheLogin_WithoutThePassword()
    {
        var ex = await Assert.ThrowsAsync<NotificationDeliveryException>(() =>
            _sender.SendAsync(Settings(), "Wrong-password-123", "ops@example.test", "s", "t", null, default));

        Assert.Contains("refused the user name or password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-password-123", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_smtp.Received);
    }

    [Fact]
    public async Task SelfSignedCertificateNotPinned_IsRefusedNamingItsFingerprint()
    {
        var ex = await Assert.ThrowsAsync<NotificationDeliveryException>(() =>
            _sender.SendAsync(Settings(pin: null), SmtpTestServer.Password, "ops@example.test", "s", "t", null, default));

        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        Assert.Contains(FtpSettings.FingerprintOf(SmtpTestServer.Certificate), ex.Message, StringComparison.Ordinal);
        Assert.Empty(_smtp.Received);
    }

    [Fact]
    public async Task NoTls_TheServerOffersNoLogin_SaysChooseTls()
    {
        var ex = await Assert.ThrowsAsync<NotificationDeliveryException>(() =>
            _sender.SendAsync(Settings(security: SmtpSecurity.None), SmtpTestServer.Password, "ops@example.test", "s", "t", null, default));

        Assert.Contains("STARTTLS or SSL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_SaysItCouldNotConnect()
    {
        var ex = await Assert.ThrowsAsync<NotificationDeliveryException>(() =>
            _sender.SendAsync(Settings(port: EmbeddedPostgres.FreePort()), SmtpTestServer.Password, "ops@example.test", "s", "t", null, default));

        Assert.Contains("Could not talk to the SMTP server 127.0.0.1:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ops@example.test", true)]
    [InlineData("Ops Team <ops@example.test>", false)]
    [InlineData("ops@example.test\r\nBcc: x@evil.test", false)]
    [InlineData("not-an-address", false)]
    [InlineData("", false)]
    public void IsEmail_OnlyPlainAddresses(string address, bool ok) => Assert.Equal(ok, AddressRules.IsEmail(address));

    [Fact]
    public void ParseEmails_SplitsOnCommasAndLines_RefusesTooManyAndBadOnes()
    {
        Assert.Equal(["a@x.test", "b@x.test"], AddressRules.ParseEmails("a@x.test,\n b@x.test; A@x.test").Addresses);
        Assert.Contains("\"nope\" is not an email address", AddressRules.ParseEmails("a@x.test nope").Error, StringComparison.Ordinal);
        Assert.Equal("At most 50 addresses.", AddressRules.ParseEmails(string.Join(",", Enumerable.Range(0, 51).Select(i => $"u{i}@x.test"))).Error);
        Assert.Null(AddressRules.ParseEmails("").Error);
    }

    [Theory]
    [InlineData("https://hooks.example.test/abc", null)]
    [InlineData("ftp://x.test/", "Give a full http:// or https:// URL.")]
    [InlineData("/relative", "Give a full http:// or https:// URL.")]
    [InlineData("https://user:pw@x.test/", "Do not put a user name or password in the URL.")]
    public void UrlError_RefusesWhatIsNotAPlainHttpUrl(string url, string? error) => Assert.Equal(error, AddressRules.UrlError(url));
}
