namespace BackupPanel.Core.Destinations.Kinds.Sftp;

/// <summary>A folder on an SSH server, over SFTP; the host key is pinned, the secrets are ciphertexts.</summary>
public sealed record SftpDestinationSettings : DestinationSettings
{
    public override string Kind => SftpKind.KindName;

    public required string Host { get; init; }

    public int Port { get; init; } = 22;

    public required string UserName { get; init; }

    /// <summary>The remote folder: relative to the login folder, or absolute ("" = the login folder).</summary>
    public string Path { get; init; } = "";

    /// <summary>The confirmed host key ("SHA256:…"); a server showing another is refused.</summary>
    public string? HostKeySha256 { get; init; }

    public string? PasswordSecret { get; init; }

    public string? PrivateKeySecret { get; init; }

    public string? PassphraseSecret { get; init; }

    public override string? Endpoint => $"{UserName}@{Host}:{Port}";

    public override string Where => $"sftp://{UserName}@{Host}:{Port}/{Path.TrimStart('/')}";

    public override string? ChangeNote(DestinationSettings? before) =>
        HostKeySha256 is { } key && (before as SftpDestinationSettings)?.HostKeySha256 != key ? $"host key {key} confirmed" : null;
}
