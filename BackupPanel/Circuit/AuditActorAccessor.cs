using System.Security.Claims;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackupPanel.Circuit;

/// <summary>
/// Who is acting, for the audit log: the signed-in user and the client address. In a request the address comes from
/// the HttpContext; in an interactive circuit (no HttpContext) from <see cref="ClientAddress"/>, which
/// <c>Routes.razor</c> receives from the first request.
/// </summary>
public sealed class AuditActorAccessor(AuthenticationStateProvider auth, IHttpContextAccessor http)
{
    /// <summary>The client address captured when the circuit started.</summary>
    public string? ClientAddress { get; set; }

    public async Task<AuditActor> GetAsync()
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        return From(user, http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? ClientAddress);
    }

    /// <summary>The actor of a plain HTTP request (static pages, endpoints).</summary>
    public static AuditActor FromHttp(HttpContext context, string? userNameIfAnonymous = null) =>
        From(context.User, context.Connection.RemoteIpAddress?.ToString(), userNameIfAnonymous);

    private static AuditActor From(ClaimsPrincipal user, string? address, string? fallbackName = null) =>
        user.Identity?.IsAuthenticated == true
            ? new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity.Name ?? "unknown", address) { IsAdmin = user.IsInRole(Roles.Admin) }
            : new AuditActor(null, fallbackName ?? "anonymous", address);
}
