namespace BackupPanel.Core.Destinations;

/// <summary>
/// What the command line gives a destination URL besides the URL: pinned server identities (options) and secrets
/// (only from the environment, never from arguments, which show in `ps` and shell history).
/// </summary>
/// <param name="SftpHostKey">The SFTP server's pinned host key (<c>--sftp-host-key SHA256:…</c>).</param>
/// <param name="FtpsCertificate">The FTPS server's pinned certificate (<c>--ftps-certificate</c>), for a self-signed one.</param>
/// <param name="Environment">Reads an environment variable (null when unset).</param>
/// <param name="OnRetry">Hears about each retry of a remote call.</param>
public sealed record UrlOptions(string? SftpHostKey, string? FtpsCertificate, Func<string, string?> Environment, Action<string>? OnRetry = null);
