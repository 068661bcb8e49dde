using System.Collections;
using System.Globalization;
using Microsoft.AspNetCore.Components.Forms;

namespace BackupPanel.Components;

/// <summary>
/// The form field a service's error key names: "Name" on the form itself, "Settings.Host" on the object the form's
/// Settings holds, "Databases[2].Port" on the third of its Databases, "Destinations[KEY].KeepLast" on the value its
/// Destinations dictionary holds at KEY — the same field a MudBlazor input's <c>For</c> points at, so the input shows
/// the error.
/// </summary>
public static class FieldPath
{
    /// <summary>The field for <paramref name="path"/>; a path that cannot be followed stays a field of the form itself.</summary>
    public static FieldIdentifier Resolve(object model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('.');
        var target = model;
        foreach (var part in parts[..^1])
        {
            if (Step(target, part) is not { } next)
            {
                return new FieldIdentifier(model, path);
            }

            target = next;
        }

        return new FieldIdentifier(target, parts[^1]);
    }

    private static object? Step(object target, string part)
    {
        var bracket = part.IndexOf('[', StringComparison.Ordinal);
        var name = bracket < 0 ? part : part[..bracket];
        var value = target.GetType().GetProperty(name)?.GetValue(target);
        if (bracket < 0)
        {
            return value;
        }

        if (!part.EndsWith(']'))
        {
            return null;
        }

        var key = part[(bracket + 1)..^1];
        return value switch
        {
            IList list when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count => list[index],
            IDictionary map => map.Keys.Cast<object>().FirstOrDefault(k => Convert.ToString(k, CultureInfo.InvariantCulture) == key) is { } found ? map[found] : null,
            _ => null,
        };
    }
}
