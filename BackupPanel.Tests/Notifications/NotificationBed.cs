using BackupPanel.Core.Backups;
using BackupPanel.Core.Data;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Notifications;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Schedules;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Notifications;

/// <summary>
/// The app with email pointed at a real SMTP server of this test (STARTTLS + AUTH, pinned certificate), a webhook
/// listener, a destination, a domain and a plan. Disposing turns email off again, so later tests send nothing.
/// </summary>
public sealed class NotificationBed(AppFixture app) : IAsyncDisposable
{
    public const string Admin = "admins@ops.test";
    public const string PlanAddress = "site-owner@customer.test";
    public const string PanelUrl = "https://panel.example.test/";
    public const string WebhookSecret = "webhook-secret-0123456789abcdef";

    public BackupTestBed Bed { get; } = new(app);

    public SmtpTestServer Smtp { get; private set; } = new();

    public HttpTestListener Http { get; } = new();

    public NotificationSettingsService Settings => app.Services.GetRequiredService<NotificationSettingsService>();

    public PlanService Plans => app.Services.GetRequiredService<PlanService>();

    public NotificationSettingsInput EmailInput(int? port = null) => new()
    {
        SmtpHost = "127.0.0.1", SmtpPort = port ?? Smtp.Port, SmtpSecurity = SmtpSecurity.StartTls, SmtpUser = SmtpTestServer.User,
        SmtpPassword = SmtpTestServer.Password, CertificateSha256 = FtpSettings.FingerprintOf(SmtpTestServer.Certificate), FromAddress = "backups@panel.test",
        AdminEmails = Admin, PanelUrl = PanelUrl,
    };

    public async Task UseEmailAsync(int? port = null)
    {
        var errors = await Settings.SaveAsync(EmailInput(port), BackupTestBed.Operator, default);
        Assert.Empty(errors);
    }

    /// <summary>Replaces the SMTP server with one on <paramref name="port"/> (a server that "comes back").</summary>
    public async Task StartSmtpOnAsync(int port)
    {
        await Smtp.DisposeAsync();
        Smtp = new SmtpTestServer(port);
    }

    /// <summary>A plan over one new domain (files in a fresh folder) to the bed's destination, with this bed's addresses, webhook and ping URL.</summary>
    public async Task<(Plan Plan, Domain Domain)> PlanAsync(
        NotificationEvents notifyOn = NotificationEvents.Problems, Schedule? schedule = null, RetentionRules? retention = null, params Guid[] destinations)
    {
        destinations = destinations.Length > 0 ? destinations : [await Bed.AddDestinationAsync()];
        var files = Path.Combine(Bed.Dir, "site-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(files);
        await File.WriteAllTextAsync(Path.Combine(files, "index.html"), "<h1>hello</h1>");
        var domain = await Bed.AddDomainAsync(new DomainInput { FilesRoot = files });
        var result = await Plans.CreateAsync(new PlanInput
        {
            Name = "Notify " + Guid.NewGuid().ToString("N")[..8], Type = BackupType.Files,
            Schedule = schedule ?? new Schedule { Kind = ScheduleKind.Daily, Hour = 2, Minute = 30, TimeZone = "Europe/Paris" },
            Retention = retention ?? new RetentionRules { KeepDaily = 7 },
            DomainIds = [domain.Id], Destinations = destinations.ToDictionary(d => d, _ => (RetentionRules?)null), NotifyEmails = PlanAddress, NotifyOn = notifyOn,
            WebhookUrl = Http.Url + "hooks/backup", WebhookSecret = WebhookSecret, PingUrl = Http.Url + "ping/abc-123",
        }, BackupTestBed.Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return ((await Plans.GetAsync(result.Id!.Value, default))!, domain);
    }

    /// <summary>Runs the plan now and waits for its one backup.</summary>
    public async Task<Backup> RunAsync(Plan plan) =>
        await Bed.WaitFinishedAsync(Assert.Single(await Plans.RunNowAsync(plan.Id, BackupTestBed.Operator, default)));

    public async Task<List<Notification>> LogAsync(Func<Notification, bool> match)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackupPanelDbContext>>().CreateDbContextAsync();
        return [.. (await db.Notifications.AsNoTracking().OrderBy(n => n.CreatedAt).ToListAsync()).Where(match)];
    }

    public async ValueTask DisposeAsync()
    {
        await Settings.SaveAsync(new NotificationSettingsInput(), BackupTestBed.Operator, default); // email off for the tests after this one
        await Smtp.DisposeAsync();
        Http.Dispose();
        Bed.Dispose();
    }
}
