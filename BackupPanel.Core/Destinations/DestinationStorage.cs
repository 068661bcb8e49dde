using BackupPanel.Core.Security;
using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Core.Storage.S3;
using BackupPanel.Core.Storage.Sftp;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// Opens the storage backend behind a destination: the one place that knows the kinds and turns stored ciphertexts
/// back into secrets (only here, only to connect). Remote kinds come wrapped in the retry decorator.
/// </summary>
public sealed class DestinationStorage(SecretProtector secrets, TimeProvider clock)
{
    /// <summary>Where runs without a Local destination stage each component before copying it out (one folder per run).</summary>
    public string SpoolDirectory { get; init; } = DefaultSpoolDirectory;

    /// <summary>The spool folder when the host configures none.</summary>
    public static string DefaultSpoolDirectory => Path.Combine(Path.GetTempPath(), "backuppanel-spool");

    /// <summary>The retry policy for remote destinations (tests make it quicker).</summary>
    public RetryPolicy RetryPolicy { get; set; } = RetryPolicy.Default;

    /// <summary>SFTP/FTP uploads a killed run left behind are removed once not written for this long.</summary>
    public TimeSpan StalePartialAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A backend for <paramref name="destination"/>; dispose it after the run. <paramref name="onRetry"/> hears about
    /// each retry (for the run's log). Throws <see cref="StorageException"/> when the settings cannot work.
    /// </summary>
    public IStorageBackend Open(Destination destination, Action<string>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.Kind switch
        {
            DestinationKind.Local => new LocalStorageBackend(destination.Path),
            DestinationKind.Sftp => Retrying(new SftpStorageBackend(SftpSettingsOf(destination)) { StalePartialAge = StalePartialAge }, onRetry),
            DestinationKind.Ftp => Retrying(new FtpStorageBackend(FtpSettingsOf(destination)) { StalePartialAge = StalePartialAge }, onRetry),
            DestinationKind.S3 => Retrying(new S3StorageBackend(S3SettingsOf(destination)), onRetry),
            _ => throw new StorageException(StorageErrorKind.Permanent, $"Destinations of kind {destination.Kind} are not supported."),
        };
    }

    private RetryingStorageBackend Retrying(IStorageBackend backend, Action<string>? onRetry) => new(backend, RetryPolicy, clock, onRetry);

    private SftpSettings SftpSettingsOf(Destination d) => new()
    {
        Host = d.Host ?? "", Port = d.Port ?? 22, User = d.UserName ?? "", Root = d.Path, HostKeySha256 = d.HostKeySha256,
        Password = Reveal(d.PasswordSecret), PrivateKey = Reveal(d.PrivateKeySecret), PrivateKeyPassphrase = Reveal(d.PassphraseSecret),
    };

    private FtpSettings FtpSettingsOf(Destination d) => new()
    {
        Host = d.Host ?? "", Port = d.Port ?? 21, User = d.UserName ?? "", Root = d.Path, ExplicitTls = d.ExplicitTls,
        CertificateSha256 = d.CertificateSha256, Password = Reveal(d.PasswordSecret) ?? "",
    };

    private S3Settings S3SettingsOf(Destination d) => new()
    {
        Bucket = d.Bucket ?? "", Prefix = d.Path, ServiceUrl = d.ServiceUrl, Region = d.Region ?? "us-east-1", PathStyle = d.PathStyle,
        UseEnvironmentCredentials = d.UseEnvironmentCredentials, AccessKeyId = d.AccessKeyId, SecretAccessKey = Reveal(d.SecretAccessKeySecret),
        StorageClass = d.StorageClass, ServerSideEncryption = d.ServerSideEncryption, KmsKeyId = d.KmsKeyId,
        ObjectLockMode = Enum.TryParse<S3ObjectLockMode>(d.ObjectLockMode, out var mode) ? mode : S3ObjectLockMode.None, ObjectLockDays = d.ObjectLockDays ?? 0,
    };

    private string? Reveal(string? ciphertext)
    {
        if (ciphertext is null)
        {
            return null;
        }

        try
        {
            return secrets.Unprotect(ciphertext);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new StorageException(StorageErrorKind.Permanent,
                "A stored credential of this destination can no longer be decrypted (the panel's data-protection keys changed): enter it again.", ex);
        }
    }
}
