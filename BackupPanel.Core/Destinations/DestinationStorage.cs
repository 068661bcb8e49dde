using BackupPanel.Core.Security;
using BackupPanel.Core.Storage;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// Opens the storage backend behind a stored destination through its kind (<see cref="DestinationKinds"/>), turning
/// stored ciphertexts back into secrets (only here, only to connect). Remote kinds come wrapped in the retry decorator.
/// </summary>
public sealed class DestinationStorage(SecretProtector secrets, TimeProvider clock)
{
    /// <summary>Where runs without a Local destination stage each component before copying it out (one folder per run).</summary>
    public string SpoolDirectory { get; init; } = DefaultSpoolDirectory;

    /// <summary>The spool folder when the host configures none.</summary>
    public static string DefaultSpoolDirectory => Path.Combine(Path.GetTempPath(), "backuppanel-spool");

    /// <summary>Checks a Local destination's folder against the allowed roots each time it is opened (null: no check, the command line).</summary>
    public Security.Paths.PathGuard? Guard { get; init; }

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
        var kind = DestinationKinds.Get(destination.Kind);
        if (Guard is not null && destination.Settings is Kinds.Local.LocalSettings local
            && Guard.CheckAsync(local.Path, Security.Paths.PathUse.Destination, CancellationToken.None).GetAwaiter().GetResult() is { } refused)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"Destination {destination.Name}: {refused}");
        }

        var backend = kind.Open(destination.Settings, new DestinationOpening(Reveal, StalePartialAge));
        return kind.IsRemote ? new RetryingStorageBackend(backend, RetryPolicy, clock, onRetry) : backend;
    }

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
