using BackupPanel.Circuit;
using BackupPanel.Components.Pages.Plans;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Retention;
using BackupPanel.Core.Schedules;
using BackupPanel.Core.Security;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Web;

/// <summary>The Plans pages against the real services: the list in words per role, and the editor's preview and field errors.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class PlansPageTests : BunitTestBase
{
    private readonly AppFixture _app;
    private readonly BackupTestBed _bed;

    public PlansPageTests(AppFixture app)
    {
        _app = app;
        _bed = new BackupTestBed(app);
        foreach (var type in new[] { typeof(PlanService), typeof(DomainService), typeof(DestinationService), typeof(RetentionService) })
        {
            Services.AddSingleton(type, app.Services.GetRequiredService(type));
        }

        Services.AddHttpContextAccessor();
        Services.AddScoped<AuditActorAccessor>();
        Services.AddScoped<PanelUser>();
    }

    [Theory]
    [InlineData(Roles.Viewer, false)]
    [InlineData(Roles.Operator, true)]
    public async Task PlansPage_ShowsTheScheduleInWords_AndActionsForOperators(string role, bool canAct)
    {
        var name = await CreatePlanAsync();
        SignInAs(role);

        var page = Render<PlansPage>();

        page.WaitForAssertion(() => Assert.Contains(name, page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("Every Monday at 04:05, America/New_York", page.Markup, StringComparison.Ordinal);
        Assert.Contains("daily: 7, monthly: 6", page.Markup, StringComparison.Ordinal);
        Assert.Equal(canAct, page.FindAll("[data-testid=run-plan]").Count > 0);
        Assert.Equal(canAct, page.FindAll("[data-testid=add-plan]").Count > 0);
    }

    [Fact]
    public void EditPage_New_PreviewsTheScheduleAndShowsErrorsAtTheFields()
    {
        SignInAs(Roles.Operator);
        var page = Render<PlanEditPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=save-plan]")), TimeSpan.FromSeconds(10));

        Assert.Contains("Every day at 02:00", page.Find("[data-testid=schedule-preview]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=save-plan]").Click();

        page.WaitForAssertion(() => Assert.Contains("Give the plan a name", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("Choose at least one domain.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionPreview_PlanWithoutBackups_SaysSoAndShowsTheRules()
    {
        var name = await CreatePlanAsync();
        var plan = (await _app.Services.GetRequiredService<PlanService>().ListAsync(default)).Single(p => p.Name == name);
        SignInAs(Roles.Viewer);

        var page = Render<RetentionPreviewPage>(p => p.Add(x => x.Id, plan.Id));

        page.WaitForAssertion(() => Assert.Contains("no stored backups yet", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("daily: 7, monthly: 6", page.Find("[data-testid=retention-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("0 kept, 0 to delete", page.Find("[data-testid=retention-summary]").TextContent, StringComparison.Ordinal);
    }

    private async Task<string> CreatePlanAsync()
    {
        var destination = await _bed.AddDestinationAsync();
        var domain = await _bed.AddDomainAsync(new DomainInput { FilesRoot = _bed.Dir });
        var name = "Weekly " + Guid.NewGuid().ToString("N")[..8];
        var result = await _app.Services.GetRequiredService<PlanService>().CreateAsync(new PlanInput
        {
            Name = name, Schedule = new Schedule { Kind = ScheduleKind.Weekly, DayOfWeek = DayOfWeek.Monday, Hour = 4, Minute = 5, TimeZone = "America/New_York" },
            Retention = new RetentionRules { KeepDaily = 7, KeepMonthly = 6 }, DomainIds = [domain.Id], Destinations = new() { [destination] = null },
        }, BackupTestBed.Operator, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return name;
    }
}
