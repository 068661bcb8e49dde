namespace BackupPanel.Hosting;

/// <summary>
/// Headers every response carries: the panel is never framed (a tenant's page on the same host cannot overlay it:
/// clickjacking), never sniffed into another type, and leaks no path to other sites. The policy below restricts what
/// does not touch Blazor's own scripts and styles; a full script/style policy is issue 17's next step.
/// </summary>
internal static class SecurityHeaders
{
    public const string Policy = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
