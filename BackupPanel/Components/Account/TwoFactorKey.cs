using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using QRCoder;

namespace BackupPanel.Components.Account;

/// <summary>Formats an authenticator key for people and as an otpauth:// URI with a QR code (SVG, rendered server-side).</summary>
internal static class TwoFactorKey
{
    public static string Format(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return sb.ToString().ToLowerInvariant();
    }

    public static string Uri(string email, string key) => string.Format(
        CultureInfo.InvariantCulture, "otpauth://totp/{0}:{1}?secret={2}&issuer={0}&digits=6",
        UrlEncoder.Default.Encode("BackupPanel"), UrlEncoder.Default.Encode(email), key);

    public static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
