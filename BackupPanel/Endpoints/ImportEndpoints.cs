using BackupPanel.Circuit;
using BackupPanel.Core.Import;
using BackupPanel.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BackupPanel.Endpoints;

internal static class ImportEndpoints
{
    /// <summary>
    /// The browser upload of an archive to import (Operator): the raw file as the request body, its name in the
    /// X-File-Name header (URL-encoded), the antiforgery token in RequestVerificationToken. Streamed to disk by
    /// <see cref="ImportService.CreateFromUploadAsync"/>, never buffered; answers the new import's id, or 400 with the reason.
    /// </summary>
    public static void MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/imports/upload", async (HttpContext context, [FromServices] ImportService imports, [FromServices] IAntiforgery antiforgery,
            [FromServices] IOptions<ImportOptions> options, CancellationToken ct) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest(new { error = "The page is out of date: reload it and upload again." });
            }

            if (context.Request.ContentLength > options.Value.MaxUploadBytes)
            {
                return Results.BadRequest(new { error = $"The file is larger than the upload limit of {Core.Units.Bytes(options.Value.MaxUploadBytes)} (BackupPanel:Import:MaxUploadBytes)." });
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.Value.MaxUploadBytes + 1; // the service stops at the limit itself, with a clear message
            }

            var name = Uri.UnescapeDataString(context.Request.Headers["X-File-Name"].ToString());
            var result = await imports.CreateFromUploadAsync(name, context.Request.Body, AuditActorAccessor.FromHttp(context), ct);
            return result.Succeeded ? Results.Ok(new { id = result.Id }) : Results.BadRequest(new { error = string.Join(" ", result.Errors.Values) });
        }).RequireAuthorization(Policies.Operator).DisableAntiforgery(); // checked above from the header: the body is the file, not a form
    }
}
