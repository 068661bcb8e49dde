using BackupPanel.Core.Storage;
using BackupPanel.Core.Storage.Ftp;

namespace BackupPanel.Core.Destinations.Kinds.Ftp;

/// <summary>A folder on an FTP server, plain or explicit FTPS (implicit FTPS is not offered: .NET's FTP client cannot speak it).</summary>
public sealed class FtpKind : DestinationKind<FtpDestinationSettings, FtpInput>
{
    /// <summary>The name stored in the destination's row.</summary>
    public const string KindName = "Ftp";

    /// <summary>The command line's FTP password.</summary>
    public const string PasswordVariable = "BACKUPPANEL_FTP_PASSWORD";

    public override string Name => KindName;

    public override string DisplayName => "FTP/FTPS";

    public override string Description => "FTP / FTPS";

    public override IReadOnlyList<string> Schemes => ["ftp", "ftps"];

    protected override FtpInput InputFrom(FtpDestinationSettings stored) => new()
    {
        Host = stored.Host, Port = stored.Port, UserName = stored.UserName, Path = stored.Path, ExplicitTls = stored.ExplicitTls,
        CertificateSha256 = stored.CertificateSha256, HasPassword = stored.PasswordSecret is not null,
    };

    protected override FtpDestinationSettings? Validate(FtpInput input, FtpDestinationSettings? stored, Func<string, string> protect, IDictionary<string, string> errors)
    {
        var before = errors.Count;
        input.Validate(stored, errors);
        return errors.Count > before ? null : new FtpDestinationSettings
        {
            Host = input.Host, Port = input.Port ?? 21, UserName = input.UserName, Path = input.Path, ExplicitTls = input.ExplicitTls,
            CertificateSha256 = input.ExplicitTls ? input.CertificateSha256 : null, PasswordSecret = Keep(input.Password, stored?.PasswordSecret, protect),
        };
    }

    protected override IStorageBackend Open(FtpDestinationSettings settings, DestinationOpening opening) => new FtpStorageBackend(new FtpSettings
    {
        Host = settings.Host, Port = settings.Port, User = settings.UserName, Root = settings.Path, ExplicitTls = settings.ExplicitTls,
        CertificateSha256 = settings.CertificateSha256, Password = opening.Reveal(settings.PasswordSecret) ?? "",
    })
    { StalePartialAge = opening.StalePartialAge };

    public override IStorageBackend OpenUrl(Uri url, UrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        return new FtpStorageBackend(new FtpSettings
        {
            Host = url.Host, Port = DestinationUrls.Port(url, 21), User = DestinationUrls.User(url),
            Password = options.Environment(PasswordVariable) ?? throw new ArgumentException($"Set {PasswordVariable} for the FTP login."),
            ExplicitTls = url.Scheme == "ftps", CertificateSha256 = options.FtpsCertificate, Root = DestinationUrls.Unescape(url.AbsolutePath).Trim('/'),
        });
    }
}
