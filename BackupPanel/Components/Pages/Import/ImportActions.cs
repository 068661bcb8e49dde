using BackupPanel.Circuit;
using BackupPanel.Core;
using BackupPanel.Core.Import;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace BackupPanel.Components.Pages.Import;

/// <summary>
/// The import page's three sources. An upload goes from the browser to /api/imports/upload (wwwroot upload.js: the
/// raw file as the body, with progress), so the archive streams to disk over HTTP instead of through the page's
/// SignalR circuit; a path or a destination object is handed to <see cref="ImportService"/> with the signed-in user.
/// </summary>
public sealed class ImportActions(IJSRuntime js, AntiforgeryStateProvider antiforgery, IOptions<ImportOptions> options, ImportService imports, AuditActorAccessor actor)
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<SaveResult> UploadAsync(string inputId, string progressId)
    {
        var token = antiforgery.GetAntiforgeryToken()?.Value ?? "";
        var answer = await js.InvokeAsync<Answer>("backupPanelUpload", inputId, "api/imports/upload", token, progressId);
        return answer.Id is { } id ? SaveResult.Saved(id) : SaveResult.Failed("File", answer.Error ?? "The upload failed.");
    }

    public async Task<SaveResult> FromPathAsync(string? path) => await imports.CreateFromServerPathAsync(path, await actor.GetAsync(), CancellationToken.None);

    public async Task<SaveResult> FromDestinationAsync(Guid destinationId, string? key) =>
        await imports.CreateFromDestinationAsync(destinationId, key, await actor.GetAsync(), CancellationToken.None);

    private sealed record Answer(Guid? Id, string? Error);
}
