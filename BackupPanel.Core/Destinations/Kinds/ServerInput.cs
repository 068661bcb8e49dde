using System.Text.RegularExpressions;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Destinations.Kinds;

/// <summary>The fields SFTP and FTP share: a server, a login and a folder on it.</summary>
public abstract partial class ServerInput : DestinationKindInput
{
    public string Host { get; set; } = "";

    public int? Port { get; set; }

    public string UserName { get; set; } = "";

    public string? Password { get; set; }

    /// <summary>The folder on the server ("" = the login folder).</summary>
    public string Path { get; set; } = "";

    /// <summary>Whether a password is stored (for "leave empty to keep").</summary>
    public bool HasPassword { get; set; }

    public override void ForgetSecrets() => Password = null;

    /// <summary>Checks and tidies the server fields (host, port, user, password's form, folder).</summary>
    protected void ValidateServer(int defaultPort, IDictionary<string, string> errors)
    {
        Host = Host?.Trim() ?? "";
        UserName = UserName?.Trim() ?? "";
        Port ??= defaultPort;
        if (!HostName().IsMatch(Host))
        {
            errors[nameof(Host)] = "Enter the server's host name or IP address, such as backup.example.com (no ftp:// or sftp://).";
        }

        if (Port is < 1 or > 65535)
        {
            errors[nameof(Port)] = "Enter a port from 1 to 65535.";
        }

        if (UserName.Length is 0 or > 256 || UserName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors[nameof(UserName)] = "Enter the user name to log in with.";
        }

        if (Password is { Length: > 1024 } || Password?.Any(char.IsControl) == true)
        {
            errors[nameof(Password)] = "The password is too long or holds control characters.";
        }

        Path = RemoteFolder(Path, errors);
    }

    /// <summary>A remote folder or key prefix, normalized; an error at Path when it is not one.</summary>
    internal static string RemoteFolder(string? path, IDictionary<string, string> errors)
    {
        path = path?.Trim() ?? "";
        try
        {
            return path.Length > 1024 ? throw new StorageException("too long") : RemotePath.NormalizeRoot(path);
        }
        catch (StorageException)
        {
            errors[nameof(Path)] = "Enter a folder path without '.', '..', backslashes or control characters (up to 1024 characters).";
            return path;
        }
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$")]
    private static partial Regex HostName();
}
