namespace BackupPanel.Core.Security;

/// <summary>The outcome of a user-management action: success, or the reasons in plain words.</summary>
public sealed record SecurityResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static readonly SecurityResult Success = new(true, []);

    public static SecurityResult Fail(params string[] errors) => new(false, errors);

    public string ErrorText => string.Join(" ", Errors);
}
