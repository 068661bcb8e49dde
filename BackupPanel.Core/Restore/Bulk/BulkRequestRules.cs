namespace BackupPanel.Core.Restore.Bulk;

/// <summary>Checks a bulk restore form before anything is looked up: errors by field, in words a person can act on.</summary>
internal static class BulkRequestRules
{
    public static Dictionary<string, string> Validate(BulkRestoreRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (request.BackupIds.Count == 0 && request.DomainIds.Count == 0)
        {
            errors[nameof(BulkRestoreRequest.BackupIds)] = "Choose backups in the history, or domains whose latest successful backup is restored.";
        }
        else if (request.BackupIds.Count > 0 && request.DomainIds.Count > 0)
        {
            errors[nameof(BulkRestoreRequest.BackupIds)] = "Choose either backups or domains, not both.";
        }
        else if (request.BackupIds.Distinct().Count() > BulkRestoreService.MaxItems || request.DomainIds.Distinct().Count() > BulkRestoreService.MaxItems)
        {
            errors[nameof(BulkRestoreRequest.BackupIds)] = $"At most {BulkRestoreService.MaxItems:N0} backups in one bulk restore: split the list.";
        }

        if (!request.Files && !request.Databases && !request.Mail)
        {
            errors[nameof(BulkRestoreRequest.Files)] = "Choose what to restore: files, databases, mail, or several.";
        }

        if (request.Elsewhere && (request.Files || request.Mail) && string.IsNullOrWhiteSpace(request.AlternateRoot))
        {
            errors[nameof(BulkRestoreRequest.AlternateRoot)] = "Give the folder for files and mail: restoring somewhere else never writes to the original places.";
        }

        if (!string.IsNullOrWhiteSpace(request.AlternateRoot) && !RestoreService.IsSafeDirectory(request.AlternateRoot.Trim()))
        {
            errors[nameof(BulkRestoreRequest.AlternateRoot)] = "Give an absolute folder, not / itself and without '..' (e.g. /srv/restored); each domain goes into a folder of its name there.";
        }

        if (!string.IsNullOrWhiteSpace(request.DatabaseSuffix) && !RestoreService.DatabaseSuffixPattern().IsMatch(request.DatabaseSuffix.Trim()))
        {
            errors[nameof(BulkRestoreRequest.DatabaseSuffix)] = "Database suffix: 1 to 32 letters, digits, '_' or '-' (e.g. _restored).";
        }

        if (request.Concurrency is < 1 or > 16)
        {
            errors[nameof(BulkRestoreRequest.Concurrency)] = "Restores at once: 1 to 16.";
        }

        return errors;
    }
}
