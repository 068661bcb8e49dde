using System.Security.Claims;
using BackupPanel.Core.Security;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace BackupPanel.Tests.Web;

/// <summary>
/// The one bUnit base: MudBlazor services, loose JS interop, no transitions, and the panel's real authorization
/// policies evaluated against a signed-in user with the given role.
/// </summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only support async disposal.
    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    protected BunitTestBase()
    {
        Services.AddMudServices(o => o.SnackbarConfiguration.ShowTransitionDuration = 0);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddAuthorizationCore(Policies.Configure);
        // bUnit registers a placeholder; the real service evaluates the panel's real policies.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        // Pages are rendered with two-factor sign-in not required (its enforcement is tested end to end in SignInTests).
        Services.AddSingleton<IAuthorizationHandler, TwoFactorNotRequiredHandler>();
        Services.AddCascadingAuthenticationState();
        Services.AddSingleton(TimeProvider.System); // a test may register its own clock after this
    }

    /// <summary>Signs in a user with <paramref name="role"/> (null: anonymous).</summary>
    protected void SignInAs(string? role, string name = "someone@example.test")
    {
        var identity = role is null
            ? new ClaimsIdentity()
            : new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, "u1"), new Claim(ClaimTypes.Role, role)], "test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationStateProvider(new ClaimsPrincipal(identity)));
    }

    private sealed class TwoFactorNotRequiredHandler : AuthorizationHandler<Core.Security.TwoFactor.TwoFactorRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Core.Security.TwoFactor.TwoFactorRequirement requirement)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    private sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
