using System.Text.RegularExpressions;
using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Sftp;

namespace BackupPanel.Core.Destinations.Kinds.Sftp;

/// <summary>A folder on an SSH server, over SFTP (password and/or key; the host key pinned, never trusted on first use).</summary>
public sealed partial class SftpKind : DestinationKind<SftpDestinationSettings, SftpInput>
{
    /// <summary>The name stored in the destination's row.</summary>
    public const string KindName = "Sftp";

    /// <summary>The command line's SFTP secrets: a password, or a private key file (and its passphrase).</summary>
    public const string PasswordVariable = "BACKUPPANEL_SFTP_PASSWORD";
    public const string KeyFileVariable = "BACKUPPANEL_SFTP_KEY_FILE";
    public const string KeyPassphraseVariable = "BACKUPPANEL_SFTP_KEY_PASSPHRASE";

    public override string Name => KindName;

    public override string DisplayName => "SFTP";

    public override string Description => "SFTP (SSH)";

    public override IReadOnlyList<string> Schemes => ["sftp"];

    /// <summary>
    /// The SSH host key a server shows ("SHA256:…"), fetched without logging in, for a person to compare with the
    /// server's own (<c>ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub</c>) before it is pinned.
    /// </summary>
    public static Task<string> FetchHostKeyAsync(string host, int port, CancellationToken ct) =>
        SftpStorageBackend.FetchHostKeyAsync(host?.Trim() ?? "", port, TimeSpan.FromSeconds(15), ct);

    [GeneratedRegex(@"^SHA256:[A-Za-z0-9+/]{43}$")]
    internal static partial Regex HostKeyPattern();

    protected override SftpInput InputFrom(SftpDestinationSettings stored) => new()
    {
        Host = stored.Host, Port = stored.Port, UserName = stored.UserName, Path = stored.Path, HostKeySha256 = stored.HostKeySha256,
        HasPassword = stored.PasswordSecret is not null, HasPrivateKey = stored.PrivateKeySecret is not null,
    };

    protected override SftpDestinationSettings? Validate(SftpInput input, SftpDestinationSettings? stored, Func<string, string> protect, IDictionary<string, string> errors)
    {
        var before = errors.Count;
        input.Validate(stored, errors);
        return errors.Count > before ? null : new SftpDestinationSettings
        {
            Host = input.Host, Port = input.Port ?? 22, UserName = input.UserName, Path = input.Path, HostKeySha256 = input.HostKeySha256,
            PasswordSecret = Keep(input.Password, stored?.PasswordSecret, protect),
            PrivateKeySecret = Keep(input.PrivateKey?.Trim(), stored?.PrivateKeySecret, protect),
            PassphraseSecret = Keep(input.Passphrase, stored?.PassphraseSecret, protect),
        };
    }

    protected override IStorageBackend Open(SftpDestinationSettings settings, DestinationOpening opening) => new SftpStorageBackend(new SftpSettings
    {
        Host = settings.Host, Port = settings.Port, User = settings.UserName, Root = settings.Path, HostKeySha256 = settings.HostKeySha256,
        Password = opening.Reveal(settings.PasswordSecret), PrivateKey = opening.Reveal(settings.PrivateKeySecret),
        PrivateKeyPassphrase = opening.Reveal(settings.PassphraseSecret),
    })
    { StalePartialAge = opening.StalePartialAge };

    public override IStorageBackend OpenUrl(Uri url, UrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        var keyFile = options.Environment(KeyFileVariable);
        var settings = new SftpSettings
        {
            Host = url.Host, Port = DestinationUrls.Port(url, 22), User = DestinationUrls.User(url), Password = options.Environment(PasswordVariable),
            PrivateKey = keyFile is { Length: > 0 } ? File.ReadAllText(keyFile) : null, PrivateKeyPassphrase = options.Environment(KeyPassphraseVariable),
            HostKeySha256 = options.SftpHostKey is { Length: > 0 } key ? SftpSettings.NormalizeFingerprint(key) : null, Root = Root(url),
        };
        if (settings.Password is null && settings.PrivateKey is null)
        {
            throw new ArgumentException($"Set {PasswordVariable} or {KeyFileVariable} for the SFTP login.");
        }

        if (settings.HostKeySha256 is null)
        {
            throw new ArgumentException("Pass --sftp-host-key SHA256:… (the server's `ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub`): " +
                "the command line connects only to a server whose key you pinned.");
        }

        return new SftpStorageBackend(settings);
    }

    // sftp://user@host/abs/path is absolute; /~/path (or /~) is under the login folder.
    private static string Root(Uri uri)
    {
        var path = DestinationUrls.Unescape(uri.AbsolutePath);
        return path.StartsWith("/~/", StringComparison.Ordinal) || path == "/~" ? path[Math.Min(3, path.Length)..] : path.TrimEnd('/') is { Length: > 0 } p ? p : "/";
    }
}
