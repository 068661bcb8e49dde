using BackupPanel.Circuit;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BackupPanel.Components.Pages.Backups;

/// <summary>
/// The backup page's actions (verify, restore, delete): role check, confirmation, one service call, a message.
/// Kept out of the page so it stays a layout.
/// </summary>
public sealed class BackupActions(
    BackupService backups, AuditActorAccessor actor, PanelUser user, IDialogService dialogs, ISnackbar snackbar, NavigationManager navigation)
{
    public async Task<bool> VerifyAsync(Backup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        await user.RequireAsync(Policies.Operator);
        try
        {
            await backups.VerifyAsync(backup.Id, await actor.GetAsync(), CancellationToken.None);
            snackbar.Add("Verifying: every copy is read back in full. The result appears here.", Severity.Info);
            return true;
        }
        catch (InvalidOperationException ex)
        {
            snackbar.Add(ex.Message, Severity.Error);
            return false;
        }
    }

    public async Task TogglePinAsync(Backup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        await user.RequireAsync(Policies.Operator);
        if (await backups.SetPinnedAsync(backup.Id, !backup.Pinned, await actor.GetAsync(), CancellationToken.None))
        {
            backup.Pinned = !backup.Pinned;
            snackbar.Add(backup.Pinned ? "Pinned: retention never deletes this backup." : "Unpinned: retention rules apply to it again.", Severity.Info);
        }
    }

    public async Task<bool> RestoreAsync(Backup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        await user.RequireAsync(Policies.Operator);
        var dialog = await dialogs.ShowAsync<RestoreDialog>($"Restore {backup.DomainName}",
            new DialogParameters<RestoreDialog> { { d => d.Backup, backup } }, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            snackbar.Add("Restore queued: its progress shows under Restores.", Severity.Info);
            return true;
        }

        return false;
    }

    public async Task DeleteAsync(Backup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        await user.RequireAsync(Policies.Admin);
        var question = $"Delete this {backup.Type} backup of {backup.DomainName} from {Format.Time(backup.CreatedAt)}? Its files at every destination are removed; this cannot be undone.";
        if (await dialogs.ShowMessageBoxAsync("Delete backup", question, yesText: "Delete", cancelText: "Cancel") != true)
        {
            return;
        }

        try
        {
            await backups.DeleteAsync(backup.Id, await actor.GetAsync(), CancellationToken.None);
            snackbar.Add("Backup deleted.", Severity.Success);
            navigation.NavigateTo("backups");
        }
        catch (Exception ex) when (ex is InvalidOperationException or Core.Storage.StorageException)
        {
            snackbar.Add(ex.Message, Severity.Error);
        }
    }
}
