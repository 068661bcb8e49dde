using BackupPanel.Components.Account;
using BackupPanel.Core.Data;
using BackupPanel.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace BackupPanel.Hosting;

internal static class IdentityHosting
{
    /// <summary>Users and roles (stores, password rules, token providers): every node needs them, a Worker too.</summary>
    public static IServiceCollection AddBackupPanelIdentityStores(this IServiceCollection services)
    {
        services.AddIdentityCore<ApplicationUser>(IdentityPolicy.Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BackupPanelDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<Core.Security.TwoFactor.TwoFactorClaimsPrincipalFactory>();
        return services;
    }

    /// <summary>Cookie sign-in, lockout, TOTP, and the three policies: only nodes that serve pages.</summary>
    public static IServiceCollection AddBackupPanelSignIn(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<SignInOutcome>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthorization(Policies.Configure);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "BackupPanel.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest; // Secure whenever the browser used HTTPS (through a known proxy too)
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            // API callers get status codes, browsers get the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
        });
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        // Role changes and disabled accounts take effect within a minute, not after the default 30.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        new IdentityBuilder(typeof(ApplicationUser), typeof(IdentityRole), services).AddSignInManager();
        return services;
    }

    private static Task ApiOrRedirect(HttpContext http, string redirectUri, int status)
    {
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hangfire/stats"))
            http.Response.StatusCode = status;
        else
            http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}
