namespace BackupPanel.Core.Storage.Sftp;

/// <summary>
/// How to reach an SFTP server. Authentication is by password, by private key (OpenSSH or PEM text, with an optional
/// passphrase), or both (tried in that order). <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed record SftpSettings
{
    public required string Host { get; init; }

    public int Port { get; init; } = 22;

    public required string User { get; init; }

    public string? Password { get; init; }

    /// <summary>The private key file's text (not a path).</summary>
    public string? PrivateKey { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>The confirmed host key, "SHA256:" + unpadded base64 as <c>ssh-keygen -l</c> prints it; null until confirmed.</summary>
    public string? HostKeySha256 { get; init; }

    /// <summary>The folder objects go under: "" for the login folder, relative to it, or absolute.</summary>
    public string Root { get; init; } = "";

    /// <summary>How long to wait for the server to answer before calling it unreachable.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"sftp://{User}@{Host}:{Port}/{Root.TrimStart('/')}";

    /// <summary>"SHA256:abc…" from SSH.NET's bare base64 or from what a user pasted (with or without the prefix).</summary>
    public static string NormalizeFingerprint(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var bare = fingerprint.Trim();
        bare = bare.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase) ? bare[7..] : bare;
        return "SHA256:" + bare.TrimEnd('=');
    }
}
