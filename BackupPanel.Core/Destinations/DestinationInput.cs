namespace BackupPanel.Core.Destinations;

/// <summary>
/// The destination form: every kind's fields (the form shows only the chosen kind's). Secrets are write-only: empty
/// means "keep the stored one"; the <c>Has…</c> flags say whether one is stored, the secrets are never read back.
/// </summary>
public sealed class DestinationInput
{
    public string Name { get; set; } = "";
    public DestinationKind Kind { get; set; } = DestinationKind.Local;
    public string Path { get; set; } = "";
    public bool IsEnabled { get; set; } = true;
    public bool IsDefault { get; set; }

    public string Host { get; set; } = "";
    public int? Port { get; set; }
    public string UserName { get; set; } = "";
    public string? Password { get; set; }
    public string? PrivateKey { get; set; }
    public string? Passphrase { get; set; }
    public string? HostKeySha256 { get; set; }
    public bool ExplicitTls { get; set; } = true;
    public string? CertificateSha256 { get; set; }

    public string Bucket { get; set; } = "";
    public string Region { get; set; } = "us-east-1";
    public string? ServiceUrl { get; set; }
    public bool PathStyle { get; set; }
    public bool UseEnvironmentCredentials { get; set; }
    public string AccessKeyId { get; set; } = "";
    public string? SecretAccessKey { get; set; }
    public string? StorageClass { get; set; }
    public string? ServerSideEncryption { get; set; }
    public string? KmsKeyId { get; set; }
    public string ObjectLockMode { get; set; } = "None";
    public int? ObjectLockDays { get; set; }

    /// <summary>Whether a secret is stored already (for "leave empty to keep").</summary>
    public bool HasPassword { get; private set; }
    public bool HasPrivateKey { get; private set; }
    public bool HasSecretAccessKey { get; private set; }

    public static DestinationInput From(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new DestinationInput
        {
            Name = destination.Name, Kind = destination.Kind, Path = destination.Path, IsEnabled = destination.IsEnabled, IsDefault = destination.IsDefault,
            Host = destination.Host ?? "", Port = destination.Port, UserName = destination.UserName ?? "", HostKeySha256 = destination.HostKeySha256,
            ExplicitTls = destination.ExplicitTls, CertificateSha256 = destination.CertificateSha256,
            Bucket = destination.Bucket ?? "", Region = destination.Region ?? "us-east-1", ServiceUrl = destination.ServiceUrl, PathStyle = destination.PathStyle,
            UseEnvironmentCredentials = destination.UseEnvironmentCredentials, AccessKeyId = destination.AccessKeyId ?? "",
            StorageClass = destination.StorageClass, ServerSideEncryption = destination.ServerSideEncryption, KmsKeyId = destination.KmsKeyId,
            ObjectLockMode = destination.ObjectLockMode ?? "None", ObjectLockDays = destination.ObjectLockDays,
            HasPassword = destination.PasswordSecret is not null, HasPrivateKey = destination.PrivateKeySecret is not null,
            HasSecretAccessKey = destination.SecretAccessKeySecret is not null,
        };
    }
}
