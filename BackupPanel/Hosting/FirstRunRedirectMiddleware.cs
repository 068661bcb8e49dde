using BackupPanel.Core.Security;

namespace BackupPanel.Hosting;

/// <summary>While no user exists, every page request goes to the one-time setup page.</summary>
internal sealed class FirstRunRedirectMiddleware(RequestDelegate next, FirstRunService firstRun)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var passThrough = path.StartsWithSegments("/setup") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/_framework")
            || path.StartsWithSegments("/_content") || path.StartsWithSegments("/_blazor") || Path.HasExtension(path.Value)
            || !HttpMethods.IsGet(context.Request.Method);
        if (!passThrough && !await firstRun.HasUsersAsync(context.RequestAborted))
        {
            context.Response.Redirect("/setup");
            return;
        }
        await next(context);
    }
}
