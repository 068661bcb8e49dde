using BackupPanel.Core;
using BackupPanel.Core.Import;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace BackupPanel.Components.Pages.Import;

/// <summary>
/// Sends the chosen file from the browser to /api/imports/upload (wwwroot upload.js: the raw file as the body, with
/// progress), so the archive streams to disk over HTTP instead of through the page's SignalR circuit.
/// </summary>
public sealed class ImportUpload(IJSRuntime js, AntiforgeryStateProvider antiforgery, IOptions<ImportOptions> options)
{
    public long MaxBytes => options.Value.MaxUploadBytes;

    public async Task<SaveResult> SendAsync(string inputId, string progressId)
    {
        var token = antiforgery.GetAntiforgeryToken()?.Value ?? "";
        var answer = await js.InvokeAsync<Answer>("backupPanelUpload", inputId, "api/imports/upload", token, progressId);
        return answer.Id is { } id ? SaveResult.Saved(id) : SaveResult.Failed("File", answer.Error ?? "The upload failed.");
    }

    private sealed record Answer(Guid? Id, string? Error);
}
