using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Core.Security.KeyRing;

/// <summary>Seals each Data Protection key's secret with the <see cref="KeyRingKey"/> before it is stored.</summary>
public sealed class KeyFileXmlEncryptor(KeyRingKey key) : IXmlEncryptor
{
    internal static readonly XName SealedElement = XName.Get("keyFileSealed", "urn:backuppanel:keyring:v1");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedElement = new XElement(SealedElement, new XAttribute("file", Path.GetFileName(key.Path)), Convert.ToBase64String(key.Seal(plaintext)));
        return new EncryptedXmlInfo(sealedElement, typeof(KeyFileXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyFileXmlEncryptor"/> sealed; Data Protection makes it with the service provider.</summary>
public sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetService<KeyRingKey>() ?? throw new CryptographicException(
            "The key ring is encrypted with a key file, and none is configured (BackupPanel:KeyRingKeyFile, default <data>/keyring.key).");
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(key.Open(Convert.FromBase64String(encryptedElement.Value))));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new CryptographicException($"The key ring entry was not sealed with {key.Path} (another node's or an earlier install's key file?).", ex);
        }
    }
}
