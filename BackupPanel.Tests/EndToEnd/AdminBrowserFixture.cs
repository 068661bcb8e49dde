namespace BackupPanel.Tests.EndToEnd;

/// <summary>Like <see cref="BrowserFixture"/>, with the first Admin created unattended (no setup page in the way).</summary>
public sealed class AdminBrowserFixture : BrowserFixture
{
    public const string Email = "e2e.admin@example.test";
    public const string Password = "an-end-to-end-password";

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment() => new Dictionary<string, string>
    {
        ["BACKUPPANEL_ADMIN_EMAIL"] = Email,
        ["BACKUPPANEL_ADMIN_PASSWORD"] = Password,
    };
}
