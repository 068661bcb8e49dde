using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Notifications;
using BackupPanel.Hosting;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Notifications;

/// <summary>
/// Backups made by plans in the real app, told by email to a real SMTP server (STARTTLS + AUTH), by signed webhook
/// and by pings to a real HTTP listener; failing endpoints retried and never failing a backup.
/// </summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class NotificationFlowTests(AppFixture app) : IAsyncDisposable
{
    private readonly NotificationBed _n = new(app);

    public ValueTask DisposeAsync() => _n.DisposeAsync();

    [Fact]
    public async Task FailedBackup_EmailsAdminsAndThePlan_WithEveryFact_SignedWebhook_RunPings()
    {
        await _n.UseEmailAsync();
        var (plan, domain) = await _n.PlanAsync();
        Directory.Delete(domain.FilesRoot!, recursive: true); // the site is gone: the backup fails

        var backup = await _n.RunAsync(plan);

        Assert.Equal(BackupStatus.Failed, backup.Status);
        var subject = $"Backup failed: {domain.Name} (Files), plan {plan.Name}";
        var toAdmin = await _n.Smtp.WaitForAsync(NotificationBed.Admin, subject);
        var toPlan = await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, subject);
        Assert.Equal("[BackupPanel] " + subject, toAdmin.Subject);
        var text = toPlan.TextBody!;
        foreach (var fact in new[] { $"Domain: {domain.Name}", $"Plan: {plan.Name}", "Type: Files", "Status: Failed", "Started: ", "Finished: ", "Duration: ", "Destinations: Local ", "Error: " + backup.Error![..20], $"Open it: {NotificationBed.PanelUrl}backups/{backup.Id}" })
        {
            Assert.Contains(fact, text, StringComparison.Ordinal);
        }

        Assert.Contains($"<a href=\"{NotificationBed.PanelUrl}backups/{backup.Id}\">", toPlan.HtmlBody, StringComparison.Ordinal);

        var hook = await _n.Http.WaitForAsync(r => r.PathAndQuery == "/hooks/backup", "the webhook");
        Assert.Equal("backup.failed", hook.Headers[WebhookSender.EventHeader]);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotificationBed.WebhookSecret),
            Encoding.UTF8.GetBytes(hook.Headers[WebhookSender.TimestampHeader] + "." + hook.Body)));
        Assert.Equal(expected, hook.Headers[WebhookSender.SignatureHeader]);
        using var json = JsonDocument.Parse(hook.Body);
        Assert.Equal("backup.failed", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(backup.Id, json.RootElement.GetProperty("backup").GetProperty("id").GetGuid());
        Assert.Equal(plan.Name, json.RootElement.GetProperty("plan").GetProperty("name").GetString());
        Assert.Equal(backup.Error, json.RootElement.GetProperty("error").GetString());

        var start = await _n.Http.WaitForAsync(r => r.PathAndQuery.StartsWith("/ping/abc-123/start?rid=", StringComparison.Ordinal), "the start ping");
        var fail = await _n.Http.WaitForAsync(r => r.PathAndQuery.StartsWith("/ping/abc-123/fail?rid=", StringComparison.Ordinal), "the fail ping");
        Assert.Equal(start.PathAndQuery.Split("rid=")[1], fail.PathAndQuery.Split("rid=")[1]);
        Assert.Contains($"{domain.Name}: Failed", fail.Body, StringComparison.Ordinal);

        // The site was gone, not the destination: no "destination unreachable" for a copy that was never attempted.
        Assert.All(backup.Copies, c => Assert.StartsWith(BackupCopy.NotWrittenPrefix, c.Error, StringComparison.Ordinal));
        Assert.DoesNotContain(await _n.LogAsync(n => n.DomainName == domain.Name), n => n.Event == NotificationEvents.DestinationUnreachable);
    }

    [Fact]
    public async Task SucceededBackup_ToldOnlyWhereOptedIn_AndPingsSuccess()
    {
        await _n.UseEmailAsync();
        var (plan, domain) = await _n.PlanAsync(NotificationEvents.Problems | NotificationEvents.BackupSucceeded);

        var backup = await _n.RunAsync(plan);

        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        var message = await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Backup succeeded: {domain.Name}");
        Assert.Contains("Size: ", message.TextBody, StringComparison.Ordinal);
        await _n.Http.WaitForAsync(r => r.PathAndQuery.StartsWith("/ping/abc-123?rid=", StringComparison.Ordinal), "the success ping");
        var log = await _n.LogAsync(n => n.BackupId == backup.Id);
        Assert.DoesNotContain(log, n => n.Recipient == NotificationBed.Admin); // the admin list takes problems only (the default)
        Assert.Contains(log, n => n.Channel == NotificationChannel.Webhook && n.Event == NotificationEvents.BackupSucceeded);
    }

    [Fact]
    public async Task DeadEndpoints_NeverFailTheBackup_AndDeliveryIsRetriedUntilTheyAnswer()
    {
        var smtpPort = EmbeddedPostgres.FreePort();
        await _n.UseEmailAsync(smtpPort); // nothing listens there yet
        _n.Http.Status = System.Net.HttpStatusCode.ServiceUnavailable;
        var (plan, domain) = await _n.PlanAsync();
        Directory.Delete(domain.FilesRoot!, recursive: true);

        var backup = await _n.RunAsync(plan);

        Assert.Equal(BackupStatus.Failed, backup.Status);
        Assert.DoesNotContain("SMTP", backup.Error, StringComparison.Ordinal); // the backup's own error, not a notification's
        await Poll.UntilAsync(async () => (await _n.LogAsync(n => n.BackupId == backup.Id)).Count(n => n.Attempts >= 1 && n.LastError is not null) >= 3,
            "a failed first attempt of each email and the webhook");
        var log = await _n.LogAsync(n => n.BackupId == backup.Id);
        Assert.Contains(log, n => n.Channel == NotificationChannel.Email && n.LastError!.StartsWith("Could not talk to the SMTP server", StringComparison.Ordinal));
        Assert.Contains(log, n => n.Channel == NotificationChannel.Webhook && n.LastError!.Contains("answered 503", StringComparison.Ordinal));
        Assert.All(log, n => Assert.Equal(NotificationStatus.Pending, n.Status));

        await _n.StartSmtpOnAsync(smtpPort);
        _n.Http.Status = System.Net.HttpStatusCode.OK;

        await _n.Smtp.WaitForAsync(NotificationBed.PlanAddress, $"Backup failed: {domain.Name}", timeoutSeconds: 90);
        await Poll.UntilAsync(async () => (await _n.LogAsync(n => n.BackupId == backup.Id)).All(n => n.Status == NotificationStatus.Sent),
            "every notification to be delivered on a retry", timeoutSeconds: 90);
        Assert.All(await _n.LogAsync(n => n.BackupId == backup.Id), n => Assert.True(n.Attempts >= 2, $"{n.Recipient}: {n.Attempts}"));
    }

    [Fact]
    public async Task ASecretThatCannotBeDecrypted_IsRecordedAsTheAttemptsError_NotLeftPending()
    {
        var (plan, domain) = await _n.PlanAsync();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync())
        {
            await db.Plans.Where(p => p.Id == plan.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.WebhookSecretCipher, "not-a-ciphertext"));
        }

        Directory.Delete(domain.FilesRoot!, recursive: true);
        var backup = await _n.RunAsync(plan);

        await Poll.UntilAsync(async () => (await _n.LogAsync(n => n.BackupId == backup.Id && n.Channel == NotificationChannel.Webhook)).Any(n => n.Attempts >= 1),
            "the webhook's first attempt to be recorded");
        var hook = (await _n.LogAsync(n => n.BackupId == backup.Id && n.Channel == NotificationChannel.Webhook)).Single();
        Assert.StartsWith("Unexpected error: ", hook.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(_n.Http.Received, r => r.PathAndQuery == "/hooks/backup");
    }

    [Fact]
    public async Task SettingsForm_HostileInput_ErrorsAtEachField_NothingSaved()
    {
        await _n.UseEmailAsync();
        var before = await _n.Settings.GetAsync(default);
        var input = _n.EmailInput();
        input.SmtpHost = "smtp.example.test/../x";
        input.SmtpPort = 70000;
        input.FromAddress = "backups@panel.test\r\nBcc: victim@x.test";
        input.AdminEmails = "ok@x.test, <script>@x";
        input.CertificateSha256 = "not a fingerprint";
        input.PanelUrl = "javascript:alert(1)";
        input.SmtpPassword = new string('p', 5000);

        var errors = await _n.Settings.SaveAsync(input, BackupTestBed.Operator, default);

        Assert.Equal(
            ["AdminEmails", "CertificateSha256", "FromAddress", "PanelUrl", "SmtpHost", "SmtpPassword", "SmtpPort"],
            errors.Keys.Order(StringComparer.Ordinal));
        var after = await _n.Settings.GetAsync(default);
        Assert.Equal((before.SmtpHost, before.SmtpPort, before.FromAddress, before.UpdatedAt), (after.SmtpHost, after.SmtpPort, after.FromAddress, after.UpdatedAt));
    }

    [Fact]
    public async Task SendTest_WrongPassword_GivesAClearError_RightOneArrives_PasswordStoredEncrypted()
    {
        var input = _n.EmailInput();
        input.SmtpPassword = "Wrong-password-123";

        var problem = await _n.Settings.SendTestAsync(input, "me@ops.test", BackupTestBed.Operator, default);

        Assert.NotNull(problem);
        Assert.StartsWith("The SMTP server 127.0.0.1:", problem, StringComparison.Ordinal);
        Assert.Contains("refused the user name or password", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-password-123", problem, StringComparison.Ordinal);

        await _n.UseEmailAsync();
        var saved = NotificationSettingsInput.From(await _n.Settings.GetAsync(default)); // the password is not in the form: the stored one is used
        Assert.Null(saved.SmtpPassword);
        Assert.True(saved.HasSmtpPassword);
        Assert.Null(await _n.Settings.SendTestAsync(saved, "me@ops.test", BackupTestBed.Operator, default));
        var message = await _n.Smtp.WaitForAsync("me@ops.test", "[BackupPanel] Test message");
        Assert.Contains(NotificationBed.PanelUrl, message.TextBody, StringComparison.Ordinal);
        var stored = await _n.Settings.GetAsync(default);
        Assert.DoesNotContain(SmtpTestServer.Password, stored.SmtpPasswordCipher, StringComparison.Ordinal);
    }
}
