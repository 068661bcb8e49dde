using MimeKit;

namespace BackupPanel.Core.Notifications;

/// <summary>The checks email lists and notification URLs share, with the sentence a form shows.</summary>
public static class AddressRules
{
    public const int MaxAddresses = 50;

    /// <summary>Addresses separated by commas, semicolons, spaces or lines; null error when every one is a plain address.</summary>
    public static (List<string> Addresses, string? Error) ParseEmails(string? text)
    {
        var parts = (text ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (parts.Count > MaxAddresses)
        {
            return (parts, $"At most {MaxAddresses} addresses.");
        }

        var bad = parts.FirstOrDefault(p => !IsEmail(p));
        return (parts, bad is null ? null : $"\"{Clip(bad)}\" is not an email address.");
    }

    public static bool IsEmail(string? address) =>
        address is { Length: > 2 and <= 320 } && !address.Any(char.IsControl) && address.Contains('@', StringComparison.Ordinal)
        && MailboxAddress.TryParse(address, out var parsed) && parsed.Address == address && string.IsNullOrEmpty(parsed.Name);

    /// <summary>Null when <paramref name="url"/> is an absolute http(s) URL without a user name or password in it.</summary>
    public static string? UrlError(string? url)
    {
        if (url is not { Length: > 0 }) return null;
        if (url.Length > 2048 || url.Any(char.IsControl)) return "The URL is too long or has control characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return "Give a full http:// or https:// URL.";
        }

        return uri.UserInfo.Length > 0 ? "Do not put a user name or password in the URL." : null;
    }

    private static string Clip(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
