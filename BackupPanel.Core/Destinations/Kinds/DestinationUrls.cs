namespace BackupPanel.Core.Destinations.Kinds;

/// <summary>The parts of a destination URL every kind reads the same way.</summary>
internal static class DestinationUrls
{
    public static string User(Uri uri) => uri.UserInfo.Length > 0 ? Unescape(uri.UserInfo) : throw new ArgumentException("Put the user name in the URL: scheme://user@host/path.");

    public static int Port(Uri uri, int defaultPort) => uri.IsDefaultPort || uri.Port < 0 ? defaultPort : uri.Port;

    public static string Unescape(string text) => Uri.UnescapeDataString(text);
}
