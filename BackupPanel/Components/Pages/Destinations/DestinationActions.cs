using BackupPanel.Circuit;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Security;
using BackupPanel.Core.Storage;
using MudBlazor;

namespace BackupPanel.Components.Pages.Destinations;

/// <summary>
/// The destinations page's data and actions (add, edit, test, import existing backups, remove): role check,
/// confirmation, one service call, a message. Kept out of the page so it stays a layout.
/// </summary>
public sealed class DestinationActions(
    DestinationService destinations, BackupService backups, CatalogImport import, AuditActorAccessor actor, PanelUser user, IDialogService dialogs, ISnackbar snackbar)
{
    private static readonly DialogOptions Wide = new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    /// <summary>Every destination, and what each holds according to the catalog.</summary>
    public async Task<(IReadOnlyList<Destination> Destinations, IReadOnlyDictionary<Guid, DestinationUsage> Usage)> LoadAsync() =>
        (await destinations.ListAsync(CancellationToken.None), await backups.UsageByDestinationAsync(CancellationToken.None));

    /// <summary>Opens the form for a new destination (<paramref name="destination"/> null) or for one; true when it was saved.</summary>
    public async Task<bool> EditAsync(Destination? destination)
    {
        await user.RequireAsync(Policies.Admin);
        var parameters = new DialogParameters<DestinationDialog> { { d => d.Id, destination?.Id } };
        var dialog = await dialogs.ShowAsync<DestinationDialog>(destination is null ? "Add destination" : $"Edit {destination.Name}", parameters, Wide);
        return await dialog.Result is { Canceled: false };
    }

    public async Task TestAsync(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await user.RequireAsync(Policies.Operator);
        var result = await destinations.TestAsync(destination.Id, CancellationToken.None);
        snackbar.Add($"{destination.Name}: {result.Message}", result.Success ? Severity.Success : Severity.Error);
    }

    public async Task ImportAsync(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await user.RequireAsync(Policies.Admin);
        try
        {
            var result = await import.ImportAsync(destination.Id, await actor.GetAsync(), CancellationToken.None);
            var unsigned = result.Damaged.Count(d => d.Contains("the backup is not signed", StringComparison.Ordinal));
            if (unsigned > 0 && await dialogs.ShowMessageBoxAsync("Unsigned backups",
                    $"{unsigned} backup(s) at {destination.Name} are not signed: made before BackupPanel signed its manifests, or not by this panel. "
                    + "Nothing proves who wrote them. List them anyway?", yesText: "List them", cancelText: "Leave them out") == true)
            {
                result = await import.ImportAsync(destination.Id, await actor.GetAsync(), CancellationToken.None, trustUnsigned: true);
            }

            snackbar.Add($"{destination.Name}: {result}{(result.Damaged.Count > 0 ? " " + string.Join(" ", result.Damaged.Take(3)) : "")}",
                result.Damaged.Count > 0 ? Severity.Warning : Severity.Success, o => o.RequireInteraction = true);
        }
        catch (StorageException ex)
        {
            snackbar.Add($"{destination.Name}: {ex.Message}", Severity.Error);
        }
    }

    /// <summary>Removes the destination after a confirmation; true when it is gone.</summary>
    public async Task<bool> DeleteAsync(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await user.RequireAsync(Policies.Admin);
        if (await dialogs.ShowMessageBoxAsync("Remove destination", $"Remove {destination.Name} from the panel? The backups stored there stay where they are.", yesText: "Remove", cancelText: "Cancel") != true)
        {
            return false;
        }

        var result = await destinations.DeleteAsync(destination.Id, await actor.GetAsync(), CancellationToken.None);
        if (!result.Succeeded) snackbar.Add(string.Join(" ", result.Errors.Values), Severity.Error);
        return result.Succeeded;
    }
}
