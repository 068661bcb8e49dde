using System.Text.RegularExpressions;
using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Core.Storage.Sftp;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// Checks and tidies the destination form, per kind: every problem is reported at its field in plain words, and
/// nothing is saved until all are fixed. The destination being edited (if any) supplies the stored secrets that
/// empty secret fields keep.
/// </summary>
public static partial class DestinationValidator
{
    /// <summary>Storage classes S3 knows; S3-compatible services accept STANDARD at least.</summary>
    public static readonly IReadOnlyList<string> StorageClasses = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "REDUCED_REDUNDANCY"];

    public static Dictionary<string, string> Validate(DestinationInput input, Destination? existing)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string>();
        input.Name = input.Name?.Trim() ?? "";
        input.Path = input.Path?.Trim() ?? "";
        if (input.Name.Length is 0 or > 100 || input.Name.Any(char.IsControl))
        {
            errors[nameof(input.Name)] = "Enter a name of up to 100 characters.";
        }

        switch (input.Kind)
        {
            case DestinationKind.Local: ValidateLocal(input, errors); break;
            case DestinationKind.Sftp: ValidateServer(input, 22, errors); ValidateSftp(input, existing, errors); break;
            case DestinationKind.Ftp: ValidateServer(input, 21, errors); ValidateFtp(input, existing, errors); break;
            case DestinationKind.S3: ValidateS3(input, existing, errors); break;
            default: errors[nameof(input.Kind)] = "Choose a kind of destination."; break;
        }

        return errors;
    }

    private static void ValidateLocal(DestinationInput input, Dictionary<string, string> errors)
    {
        if (input.Path.Length is 0 or > 4096 || input.Path.Any(char.IsControl) || !System.IO.Path.IsPathFullyQualified(input.Path))
        {
            errors[nameof(input.Path)] = "Enter the absolute path of a folder, such as /var/backups/panel.";
        }
        else if (System.IO.Path.TrimEndingDirectorySeparator(input.Path) == "/" || input.Path.Split('/').Contains(".."))
        {
            errors[nameof(input.Path)] = "Choose a folder of its own: not '/' and without '..'.";
        }
        else
        {
            input.Path = System.IO.Path.TrimEndingDirectorySeparator(input.Path);
        }
    }

    private static void ValidateServer(DestinationInput input, int defaultPort, Dictionary<string, string> errors)
    {
        input.Host = input.Host?.Trim() ?? "";
        input.UserName = input.UserName?.Trim() ?? "";
        input.Port ??= defaultPort;
        if (!HostName().IsMatch(input.Host))
        {
            errors[nameof(input.Host)] = "Enter the server's host name or IP address, such as backup.example.com (no ftp:// or sftp://).";
        }

        if (input.Port is < 1 or > 65535)
        {
            errors[nameof(input.Port)] = "Enter a port from 1 to 65535.";
        }

        if (input.UserName.Length is 0 or > 256 || input.UserName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors[nameof(input.UserName)] = "Enter the user name to log in with.";
        }

        if (input.Password is { Length: > 1024 } || input.Password?.Any(char.IsControl) == true)
        {
            errors[nameof(input.Password)] = "The password is too long or holds control characters.";
        }

        RemoteFolder(input, errors);
    }

    private static void ValidateSftp(DestinationInput input, Destination? existing, Dictionary<string, string> errors)
    {
        var hasPassword = !string.IsNullOrEmpty(input.Password) || existing?.PasswordSecret is not null;
        var hasKey = !string.IsNullOrWhiteSpace(input.PrivateKey) || existing?.PrivateKeySecret is not null;
        if (!hasPassword && !hasKey)
        {
            errors[nameof(input.Password)] = "Enter a password or a private key.";
        }

        if (input.PrivateKey is { Length: > 0 } key && (key.Length > 32_768 || !key.Contains("PRIVATE KEY-----", StringComparison.Ordinal)))
        {
            errors[nameof(input.PrivateKey)] = "Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to its END line (OpenSSH or PEM).";
        }

        if (input.HostKeySha256 is { Length: > 0 } fp)
        {
            var normalized = SftpSettings.NormalizeFingerprint(fp);
            if (!HostKey().IsMatch(normalized))
            {
                errors[nameof(input.HostKeySha256)] = "A host key fingerprint looks like SHA256: followed by 43 letters, digits, + or /.";
            }

            input.HostKeySha256 = normalized;
        }
        else
        {
            input.HostKeySha256 = null;
        }
    }

    private static void ValidateFtp(DestinationInput input, Destination? existing, Dictionary<string, string> errors)
    {
        if (string.IsNullOrEmpty(input.Password) && existing?.PasswordSecret is null)
        {
            errors[nameof(input.Password)] = "Enter the password.";
        }

        if (input.CertificateSha256 is { Length: > 0 } fp)
        {
            var normalized = FtpSettings.NormalizeFingerprint(fp);
            if (normalized.Length != 95)
            {
                errors[nameof(input.CertificateSha256)] = "A SHA-256 fingerprint has 64 hexadecimal digits (colons optional).";
            }

            input.CertificateSha256 = normalized;
        }
        else
        {
            input.CertificateSha256 = null;
        }
    }

    private static void ValidateS3(DestinationInput input, Destination? existing, Dictionary<string, string> errors)
    {
        input.Bucket = input.Bucket?.Trim() ?? "";
        input.Region = input.Region?.Trim() ?? "";
        input.AccessKeyId = input.AccessKeyId?.Trim() ?? "";
        input.ServiceUrl = string.IsNullOrWhiteSpace(input.ServiceUrl) ? null : input.ServiceUrl.Trim().TrimEnd('/');
        if (!Bucket().IsMatch(input.Bucket))
        {
            errors[nameof(input.Bucket)] = "Enter the bucket's name: 3 to 63 lower-case letters, digits, dots and hyphens.";
        }

        if (!Region().IsMatch(input.Region))
        {
            errors[nameof(input.Region)] = "Enter a region such as us-east-1 or eu-central-1.";
        }

        if (input.ServiceUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || url.Length > 2048))
        {
            errors[nameof(input.ServiceUrl)] = "Enter the service's address, such as https://s3.eu-central-003.backblazeb2.com (http or https, no query).";
        }

        if (!input.UseEnvironmentCredentials)
        {
            if (input.AccessKeyId.Length is 0 or > 128 || input.AccessKeyId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors[nameof(input.AccessKeyId)] = "Enter the access key ID.";
            }

            if (string.IsNullOrEmpty(input.SecretAccessKey) && existing?.SecretAccessKeySecret is null)
            {
                errors[nameof(input.SecretAccessKey)] = "Enter the secret access key.";
            }
        }

        if (input.StorageClass is { Length: > 0 } sc && !StorageClasses.Contains(sc))
        {
            errors[nameof(input.StorageClass)] = "Choose one of the storage classes offered.";
        }

        if (input.ServerSideEncryption is { Length: > 0 } sse && sse is not ("AES256" or "aws:kms"))
        {
            errors[nameof(input.ServerSideEncryption)] = "Choose SSE-S3 (AES256) or SSE-KMS (aws:kms).";
        }

        if (input.ObjectLockMode is not ("None" or "Governance" or "Compliance"))
        {
            errors[nameof(input.ObjectLockMode)] = "Choose None, Governance or Compliance.";
        }
        else if (input.ObjectLockMode != "None" && input.ObjectLockDays is not (>= 1 and <= 36_500))
        {
            errors[nameof(input.ObjectLockDays)] = "Enter how many days each copy stays locked (1 to 36500).";
        }

        RemoteFolder(input, errors);
    }

    private static void RemoteFolder(DestinationInput input, Dictionary<string, string> errors)
    {
        try
        {
            input.Path = input.Path.Length > 1024 ? throw new StorageException("too long") : RemotePath.NormalizeRoot(input.Path);
        }
        catch (StorageException)
        {
            errors[nameof(input.Path)] = "Enter a folder path without '.', '..', backslashes or control characters (up to 1024 characters).";
        }
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^SHA256:[A-Za-z0-9+/]{43}$")]
    private static partial Regex HostKey();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex Bucket();

    [GeneratedRegex(@"^[a-z0-9-]{2,64}$")]
    private static partial Regex Region();
}
