using System.Globalization;
using System.Text.RegularExpressions;
using BackupPanel.Core.Archive;

namespace BackupPanel.Core.Domains;

/// <summary>Checks the domain form; every problem is reported at its field, in words.</summary>
public static partial class DomainValidator
{
    public const int MaxDatabases = 20;
    private const string NameMessage = "Enter a fully qualified domain name such as example.com (letters, digits, '-' and dots).";

    /// <summary>Field → message for every problem; empty when the input is valid. Normalizes the name (IDN → punycode).</summary>
    public static Dictionary<string, string> Validate(DomainInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string>();
        input.Name = NormalizeName(input.Name, errors);
        input.FilesRoot = CheckPath(input.FilesRoot, nameof(DomainInput.FilesRoot), errors);
        input.MailRoot = CheckPath(input.MailRoot, nameof(DomainInput.MailRoot), errors);
        try
        {
            _ = new ExcludeFilter(input.ExcludeList());
        }
        catch (ArgumentException ex)
        {
            errors[nameof(DomainInput.Excludes)] = ex.Message.Split(" (Parameter", 2)[0];
        }

        if (input.Notes?.Length > 4000)
        {
            errors[nameof(DomainInput.Notes)] = "Notes are limited to 4,000 characters.";
        }

        CheckOwner(input, errors);
        CheckDatabases(input.Databases, errors);
        if (input.FilesRoot is null && input.MailRoot is null && input.Databases.Count == 0 && errors.Count == 0)
        {
            errors[nameof(DomainInput.FilesRoot)] = "Nothing to back up: give a files root, a mail root or a database.";
        }

        return errors;
    }

    /// <summary>Owner: both names or neither, each an existing user and group of this machine.</summary>
    private static void CheckOwner(DomainInput input, Dictionary<string, string> errors)
    {
        input.OwnerUser = string.IsNullOrWhiteSpace(input.OwnerUser) ? null : input.OwnerUser.Trim();
        input.OwnerGroup = string.IsNullOrWhiteSpace(input.OwnerGroup) ? null : input.OwnerGroup.Trim();
        if (input.OwnerUser is null && input.OwnerGroup is null)
        {
            return;
        }

        var names = OwnerNames.Read();
        if (input.OwnerUser is null || names.FindUser(input.OwnerUser) is null)
        {
            errors[nameof(DomainInput.OwnerUser)] = input.OwnerUser is null
                ? "Give the user too, or leave both empty for the owner of the root folder."
                : $"There is no user '{Clip(input.OwnerUser)}' on this server.";
        }

        if (input.OwnerGroup is null || names.FindGroup(input.OwnerGroup) is null)
        {
            errors[nameof(DomainInput.OwnerGroup)] = input.OwnerGroup is null
                ? "Give the group too, or leave both empty for the owner of the root folder."
                : $"There is no group '{Clip(input.OwnerGroup)}' on this server.";
        }
    }

    private static string Clip(string text) => text.Length > 32 ? text[..32] + "…" : text;

    private static string NormalizeName(string? raw, Dictionary<string, string> errors)
    {
        var name = (raw ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        try
        {
            name = new IdnMapping().GetAscii(name);
        }
        catch (ArgumentException)
        {
            errors[nameof(DomainInput.Name)] = NameMessage;
            return name;
        }

        if (name.Length is 0 or > 253 || !Fqdn().IsMatch(name))
        {
            errors[nameof(DomainInput.Name)] = NameMessage;
        }

        return name;
    }

    private static string? CheckPath(string? raw, string field, Dictionary<string, string> errors)
    {
        var path = raw?.Trim();
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        if (path.Length > 4096 || path.Any(char.IsControl) || !Path.IsPathFullyQualified(path))
        {
            errors[field] = "Enter an absolute path such as /var/www/example.com.";
        }
        else if (Path.TrimEndingDirectorySeparator(path) is "/" || path.Split('/').Contains(".."))
        {
            errors[field] = "Choose the domain's own folder: not '/' and without '..'.";
        }

        return path.Length > 1 ? Path.TrimEndingDirectorySeparator(path) : path;
    }

    private static void CheckDatabases(List<DatabaseInput> databases, Dictionary<string, string> errors)
    {
        if (databases.Count > MaxDatabases)
        {
            errors[nameof(DomainInput.Databases)] = $"At most {MaxDatabases} databases per domain.";
            return;
        }

        for (var i = 0; i < databases.Count; i++)
        {
            var db = databases[i];
            var key = $"{nameof(DomainInput.Databases)}[{i}].";
            db.Host = db.Host?.Trim() ?? "";
            db.Name = db.Name?.Trim() ?? "";
            db.User = db.User?.Trim() ?? "";
            if (db.Host.Length is 0 or > 253 || !HostName().IsMatch(db.Host))
            {
                errors[key + nameof(DatabaseInput.Host)] = "Enter a host name or IP address.";
            }

            if (db.Port is < 1 or > 65535)
            {
                errors[key + nameof(DatabaseInput.Port)] = "The port is a number from 1 to 65535.";
            }

            if (!DatabaseName().IsMatch(db.Name))
            {
                errors[key + nameof(DatabaseInput.Name)] = "Enter the database name: 1 to 64 letters, digits, '_', '$' or '-', not starting with '-'.";
            }

            if (db.User.Length is 0 or > 128 || db.User.Any(char.IsControl))
            {
                errors[key + nameof(DatabaseInput.User)] = "Enter the user name (up to 128 characters).";
            }

            if (db.NewPassword is { Length: > 1024 } || db.NewPassword?.Contains('\0', StringComparison.Ordinal) == true)
            {
                errors[key + nameof(DatabaseInput.NewPassword)] = "The password is too long or contains a NUL character.";
            }

            if (databases.Take(i).Any(o => o.Engine == db.Engine && o.Host == db.Host && o.Port == db.Port && o.Name == db.Name))
            {
                errors[key + nameof(DatabaseInput.Name)] = "This database is listed twice.";
            }
        }
    }

    /// <summary>A fully qualified domain name as the panel stores it (lower case, no trailing dot).</summary>
    public static bool IsDomainName(string? name) => name is { Length: > 0 and <= 253 } && Fqdn().IsMatch(name);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Fqdn();

    // Nothing a tool could read as an option ('-…') or a connection string ('='), no quotes, spaces or slashes.
    [GeneratedRegex(@"^[A-Za-z0-9_$][A-Za-z0-9_$-]{0,63}\z")]
    private static partial Regex DatabaseName();

    [GeneratedRegex(@"^[A-Za-z0-9._:\-\[\]]+$")]
    private static partial Regex HostName();
}
