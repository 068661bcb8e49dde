using BackupPanel.Components;
using Bunit;

namespace BackupPanel.Tests.Web;

/// <summary>
/// The one bridge from a service's field errors to the form (ServerValidation, FieldPath, FieldError): each error
/// shows at the input its key names — on the form, in a list, in a dictionary — and goes when that input changes.
/// </summary>
public sealed class FormBridgeTests : BunitTestBase
{
    [Fact]
    public void ServerValidation_ErrorsByPath_ShowAtTheirInputs()
    {
        var form = new BridgeForm();
        var key = Guid.NewGuid();
        form.Overrides[key] = new BridgeRules();
        var errors = new Dictionary<string, string>
        {
            ["Name"] = "Enter a name.", ["Servers[1].Host"] = "No such host.", [$"Overrides[{key}].KeepLast"] = "At most 100,000.",
            ["Servers"] = "At most 20 servers.", [""] = "Something about the whole form.",
        };

        var page = Render<BridgeHost>(p => p.Add(h => h.Model, form).Add(h => h.Errors, errors));

        Assert.Contains("Enter a name.", InputOf(page, "name").TextContent, StringComparison.Ordinal);
        var hosts = page.FindAll("[data-testid=host]");
        Assert.DoesNotContain("No such host.", hosts[0].ParentElement!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Contains("No such host.", InputOf(page, "host", 1).TextContent, StringComparison.Ordinal);
        Assert.Contains("At most 100,000.", InputOf(page, $"keep-{key}").TextContent, StringComparison.Ordinal);
        Assert.Contains("At most 20 servers.", page.Find("[data-testid=servers-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Something about the whole form.", page.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerValidation_FieldChanged_ItsErrorGoesTheOthersStay()
    {
        var form = new BridgeForm();
        var page = Render<BridgeHost>(p => p.Add(h => h.Model, form).Add(h => h.Errors, new Dictionary<string, string> { ["Name"] = "Enter a name.", ["Servers[0].Host"] = "No such host." }));

        page.Find("input[data-testid=name]").Change("example");

        page.WaitForAssertion(() => Assert.DoesNotContain("Enter a name.", page.Markup, StringComparison.Ordinal));
        Assert.Contains("No such host.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerValidation_NewErrors_ReplaceTheOld()
    {
        var form = new BridgeForm();
        var page = Render<BridgeHost>(p => p.Add(h => h.Model, form).Add(h => h.Errors, new Dictionary<string, string> { ["Name"] = "Enter a name." }));

        page.Render(p => p.Add(h => h.Errors, new Dictionary<string, string> { ["Servers[0].Host"] = "No such host." }));

        Assert.DoesNotContain("Enter a name.", page.Markup, StringComparison.Ordinal);
        Assert.Contains("No such host.", InputOf(page, "host", 0).TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name", "Name", false)]
    [InlineData("Servers[1].Host", "Host", true)]
    [InlineData("Servers[7].Host", "Servers[7].Host", false)]
    [InlineData("Nothing.Here", "Nothing.Here", false)]
    [InlineData("Servers[x].Host", "Servers[x].Host", false)]
    public void FieldPath_Resolve_FollowsWhatItCanAndKeepsTheRestOnTheForm(string path, string field, bool onServer)
    {
        var form = new BridgeForm();

        var id = FieldPath.Resolve(form, path);

        Assert.Equal(field, id.FieldName);
        Assert.Same(onServer ? form.Servers[1] : form, id.Model);
    }

    private static AngleSharp.Dom.IElement InputOf(IRenderedComponent<BridgeHost> page, string testId, int index = 0) =>
        page.FindAll($"[data-testid={testId}]")[index].Closest(".mud-input-control") ?? throw new InvalidOperationException("no input control");
}
