using BackupPanel.Circuit;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace BackupPanel.Endpoints;

internal static class BackupEndpoints
{
    /// <summary>
    /// Downloads, streamed and audited: a backup component as stored, and the recovery kit (Admin only: a component
    /// of an unencrypted plan is a domain's data in the clear).
    /// </summary>
    public static void MapBackupEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/backups/{id:guid}/components/{name}", async (
            Guid id, string name, HttpContext context, [FromServices] BackupService backups, CancellationToken ct) =>
        {
            var download = await backups.OpenComponentAsync(id, name, AuditActorAccessor.FromHttp(context), ct);
            return download is null
                ? Results.NotFound("No such backup or component.")
                : Results.Stream(download.Content, "application/octet-stream", download.FileName);
        }).RequireAuthorization(Policies.Admin);

        // A POST with the page's antiforgery token: a download that records and audits itself changes state, and a GET
        // could be set off by any page the Admin visits (an <img src>, a link).
        app.MapPost("/api/encryption/recovery-kit", async (
            HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] EncryptionService encryption, CancellationToken ct) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.BadRequest("The page was open too long or came from elsewhere: reload it and download again.");
            var kit = await encryption.RecoveryKitAsync(AuditActorAccessor.FromHttp(context), ct);
            context.Response.Headers.CacheControl = "no-store";
            return Results.File(System.Text.Encoding.UTF8.GetBytes(kit), "text/plain; charset=utf-8", RecoveryKit.FileName);
        }).RequireAuthorization(Policies.Admin).DisableAntiforgery(); // checked in the handler, which answers 400
    }
}
