using BackupPanel.Circuit;
using BackupPanel.Core;
using BackupPanel.Core.Restore.Bulk;
using BackupPanel.Core.Security;
using MudBlazor;

namespace BackupPanel.Components.Pages.Restore;

/// <summary>The bulk restore page's actions (start, cancel, re-run failed): role check, confirmation, one service call, a message.</summary>
public sealed class BulkRestoreActions(BulkRestoreService bulk, AuditActorAccessor actor, PanelUser user, IDialogService dialogs, ISnackbar snackbar)
{
    public async Task StartAsync(BulkRestoreView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        await user.RequireAsync(Policies.Operator);
        var blocked = view.Items.Count(i => i.Item.Preflight == PreflightLevel.Error || i.Item.Status == RestoreItemStatus.Skipped);
        var runs = view.Items.Count - blocked;
        var question = $"Restore {runs} backup(s) {(view.Batch.DryRun ? "as a dry run (nothing is written)" : "now")}?"
            + (blocked > 0 ? $" {blocked} item(s) with preflight errors are skipped." : "")
            + (BulkRestoreWords.ReplacedInPlace(view.Batch) is { } replaced ? " " + replaced : "");
        if (await dialogs.ShowMessageBoxAsync("Start bulk restore", question, yesText: "Start", cancelText: "Not now") == true)
        {
            Report(await bulk.ConfirmAsync(view.Batch.Id, await actor.GetAsync(), CancellationToken.None), "Started: items run as jobs, their progress shows here.");
        }
    }

    public async Task CancelAsync(BulkRestoreView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        await user.RequireAsync(Policies.Operator);
        var started = view.Batch.Status == RestoreBatchStatus.Running;
        var question = started ? "Cancel the items that have not started? Restores already running finish." : "Discard this bulk restore? Nothing was restored.";
        if (await dialogs.ShowMessageBoxAsync(started ? "Cancel the rest" : "Discard", question, yesText: started ? "Cancel the rest" : "Discard", cancelText: "Keep") == true)
        {
            Report(await bulk.CancelAsync(view.Batch.Id, await actor.GetAsync(), CancellationToken.None), started ? "Cancelled the items not started." : "Discarded.");
        }
    }

    public async Task RerunFailedAsync(BulkRestoreView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        await user.RequireAsync(Policies.Operator);
        Report(await bulk.RerunFailedAsync(view.Batch.Id, await actor.GetAsync(), CancellationToken.None), "Re-running the failed and cancelled items.");
    }

    private void Report(SaveResult result, string ok) =>
        snackbar.Add(result.Succeeded ? ok : string.Join(" ", result.Errors.Values), result.Succeeded ? Severity.Info : Severity.Error);
}
