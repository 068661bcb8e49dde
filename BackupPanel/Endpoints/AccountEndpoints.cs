using BackupPanel.Circuit;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BackupPanel.Endpoints;

internal static class AccountEndpoints
{
    /// <summary>POST /Account/Logout: signs out (antiforgery-checked form post) and audits it.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/Account");
        group.MapPost("/Logout", async (
            HttpContext context,
            [FromServices] SignInManager<ApplicationUser> signIn,
            [FromServices] AuditService audit,
            [FromServices] IAntiforgery antiforgery) =>
        {
            // Sign-out changes state, so it is a form post with the antiforgery token, like every other form.
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest("Missing or invalid antiforgery token.");
            var actor = AuditActorAccessor.FromHttp(context);
            await signIn.SignOutAsync();
            if (actor.UserId is not null) await audit.WriteAsync(actor, AuditActions.SignOut, AuditOutcome.Success);
            return Results.LocalRedirect("~/Account/Login");
        }).AllowAnonymous().DisableAntiforgery();
    }
}
