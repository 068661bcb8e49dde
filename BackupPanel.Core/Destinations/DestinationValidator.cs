namespace BackupPanel.Core.Destinations;

/// <summary>
/// Checks and tidies the destination form: the name here, everything else by the chosen kind
/// (<see cref="DestinationKind.Validate"/>). Every problem is reported at its field in plain words — the kind's fields
/// under <c>Settings.</c> — and nothing is saved until all are fixed.
/// </summary>
public static class DestinationValidator
{
    /// <summary>
    /// The settings to store, or null with <paramref name="errors"/> filled. <paramref name="stored"/> supplies the
    /// stored secrets that empty secret fields keep (null for a new destination or another kind).
    /// </summary>
    public static DestinationSettings? Validate(DestinationInput input, DestinationSettings? stored, Func<string, string> protect, Dictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        input.Name = input.Name?.Trim() ?? "";
        if (input.Name.Length is 0 or > 100 || input.Name.Any(char.IsControl))
        {
            errors[nameof(input.Name)] = "Enter a name of up to 100 characters.";
        }

        if (DestinationKinds.Find(input.Settings?.Kind) is not { } kind)
        {
            errors[nameof(input.Kind)] = "Choose a kind of destination.";
            return null;
        }

        var kindErrors = new Dictionary<string, string>();
        var keep = stored?.Kind == kind.Name ? stored : null;
        var settings = kind.Validate(input.Settings!, keep, protect, kindErrors);
        if (settings is not null && keep is not null && settings.Endpoint != keep.Endpoint)
        {
            // Another server or user: the stored secrets stay behind, and a missing one is asked for again.
            kindErrors.Clear();
            settings = kind.Validate(input.Settings!, null, protect, kindErrors);
        }

        foreach (var (field, message) in kindErrors)
        {
            errors[$"{nameof(input.Settings)}.{field}"] = message;
        }

        return errors.Count == 0 ? settings : null;
    }
}
