using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackupPanel.Circuit;

/// <summary>
/// What the signed-in user may do, for pages: buttons are hidden by role, and every action handler checks again
/// with <see cref="RequireAsync"/>, so a hidden button is never the only guard.
/// </summary>
public sealed class PanelUser(AuthenticationStateProvider auth, IAuthorizationService authorization)
{
    public async Task<bool> CanAsync(string policy) =>
        (await authorization.AuthorizeAsync((await auth.GetAuthenticationStateAsync()).User, policy)).Succeeded;

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> unless the user meets <paramref name="policy"/>.</summary>
    public async Task RequireAsync(string policy)
    {
        if (!await CanAsync(policy))
        {
            throw new UnauthorizedAccessException("Your role does not allow this.");
        }
    }
}
