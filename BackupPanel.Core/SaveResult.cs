namespace BackupPanel.Core;

/// <summary>
/// What a form's save (a domain, destination, plan, restore request) came to: the id of what was saved, or the
/// problems keyed by the form's field names, so pages show each message at its field.
/// </summary>
public sealed record SaveResult(Guid? Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static SaveResult Saved(Guid id) => new(id, new Dictionary<string, string>());

    public static SaveResult Failed(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}
