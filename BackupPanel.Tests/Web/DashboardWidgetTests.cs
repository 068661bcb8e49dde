using BackupPanel.Components.Pages.Dashboard;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Dashboard;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Web;

/// <summary>Each dashboard widget rendered from known data: what it says, what it links to.</summary>
public sealed class DashboardWidgetTests : BunitTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Shop = Guid.NewGuid();
    private static readonly Guid Blog = Guid.NewGuid();
    private static readonly Guid Failed = Guid.NewGuid();

    public DashboardWidgetTests() => Services.AddSingleton(TimeProvider.System);

    private static DashboardData Data(params DomainProtection[] domains) => new(
        domains, new SuccessRate(9, 0, 1), new SuccessRate(0, 0, 0),
        [new ActiveRun(Guid.NewGuid(), "shop.example.com", BackupType.Full, BackupStatus.Running, "files", 50, 200, Now.AddMinutes(-1))],
        [new UpcomingRun(Guid.NewGuid(), "Nightly", Now.AddHours(3), "Every day at 02:30, Europe/Paris")],
        [new RecentProblem(Failed, "blog.example.com", BackupStatus.Failed, Now.AddHours(-1), "disk full")],
        [new StoredAtDestination(Guid.NewGuid(), "Offsite S3", 3L << 30, 12)],
        [new DayCount(DateOnly.FromDateTime(Now.UtcDateTime), BackupStatus.Succeeded, 9), new DayCount(DateOnly.FromDateTime(Now.UtcDateTime), BackupStatus.Failed, 1)],
        [new DaySize(DateOnly.FromDateTime(Now.UtcDateTime.AddDays(-1)), 2L << 30), new DaySize(DateOnly.FromDateTime(Now.UtcDateTime), 3L << 30)], Now);

    [Fact]
    public void Protection_CountsAtRisk_ShowsEachReason_LinksEachDomain()
    {
        var page = Render<ProtectionWidget>(p => p.Add(w => w.Domains, [
            new DomainProtection(Blog, "blog.example.com", true, "The latest run failed: disk full", null),
            new DomainProtection(Shop, "shop.example.com", false, "Last good backup 2 h ago.", Now.AddHours(-2)),
        ]));

        Assert.Equal("1 of 2 domains at risk", page.Find("[data-testid=protection-summary]").TextContent.Trim());
        var risky = page.Find("[data-testid=domain-at-risk]");
        Assert.Contains("The latest run failed: disk full", risky.TextContent, StringComparison.Ordinal);
        Assert.Equal($"domains/{Blog}", risky.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("shop.example.com", page.Find("[data-testid=domain-protected]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Protection_AllGood_AndNoDomains()
    {
        var good = Render<ProtectionWidget>(p => p.Add(w => w.Domains, [new DomainProtection(Shop, "shop.example.com", false, "Last good backup 2 h ago.", Now)]));
        Assert.Equal("All 1 domain protected", good.Find("[data-testid=protection-summary]").TextContent.Trim());

        var none = Render<ProtectionWidget>(p => p.Add(w => w.Domains, []));
        Assert.Contains("No domain yet", none.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiles_ShowRatesRunningAndStorage()
    {
        var page = Render<StatTiles>(p => p.Add(w => w.Data, Data()));

        Assert.Contains("90 %", page.Find("[data-testid=rate-24h]").TextContent, StringComparison.Ordinal);
        Assert.Contains("9 of 10 ok, 1 failed", page.Find("[data-testid=rate-24h]").TextContent, StringComparison.Ordinal);
        Assert.Contains("—", page.Find("[data-testid=rate-7d]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1", page.Find("[data-testid=running-count]").TextContent, StringComparison.Ordinal);
        Assert.Contains("3.0 GiB", page.Find("[data-testid=stored-total]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Activity_RunningWithProgress_NextRuns_FailuresLinkToTheirBackup()
    {
        var page = Render<ActivityWidgets>(p => p.Add(w => w.Data, Data()));

        Assert.Contains("shop.example.com", page.Find("[data-testid=active-runs]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=active-runs] .mud-progress-linear"));
        Assert.Contains("Every day at 02:30, Europe/Paris", page.Find("[data-testid=upcoming-runs]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"backups/{Failed}", page.Find("[data-testid=problem-link]").GetAttribute("href"));
        Assert.Contains("disk full", page.Find("[data-testid=recent-problems]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_DrawBothAndTheStorageTable()
    {
        var page = Render<ChartsWidget>(p => p.Add(w => w.Data, Data()));

        Assert.NotEmpty(page.FindAll("[data-testid=chart-per-day] svg rect, [data-testid=chart-per-day] svg path"));
        Assert.Contains("Stored size (GiB)", page.Find("[data-testid=chart-stored]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Offsite S3", page.Find("[data-testid=storage-per-destination]").TextContent, StringComparison.Ordinal);
        Assert.Contains("12", page.Find("[data-testid=storage-per-destination]").TextContent, StringComparison.Ordinal);
    }
}
