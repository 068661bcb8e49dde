using BackupPanel.Core.Import;
using MudBlazor;

namespace BackupPanel.Components.Pages.Import;

/// <summary>How import states read on the pages.</summary>
public static class ImportFormat
{
    public static Color Of(ImportStatus status) => status switch
    {
        ImportStatus.Succeeded => Color.Success,
        ImportStatus.Failed or ImportStatus.Refused => Color.Error,
        ImportStatus.PartiallySucceeded => Color.Warning,
        ImportStatus.Inspecting or ImportStatus.Queued or ImportStatus.Running => Color.Info,
        _ => Color.Default,
    };
}
