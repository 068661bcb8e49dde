using System.Security.Cryptography;

namespace BackupPanel.Hosting;

/// <summary>
/// Headers every response carries. A Content-Security-Policy a Blazor Server + MudBlazor page works under: scripts only
/// from the panel itself plus the one inline import map, which carries this response's random nonce; styles from the
/// panel and inline (MudBlazor sets style attributes and theme variables); nothing from any other origin; never framed
/// (a tenant's page on the same host cannot overlay it: clickjacking), never sniffed into another type, and no path
/// leaked to other sites.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "BackupPanel.CspNonce";

    /// <summary>The policy for a response whose inline import map carries <paramref name="nonce"/>.</summary>
    public static string Policy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>This request's nonce, for the import map in App.razor.</summary>
    public static string Nonce(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[NonceKey] as string ?? "";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML to encode
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Policy(nonce);
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
