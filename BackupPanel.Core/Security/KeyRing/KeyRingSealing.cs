using System.Xml.Linq;
using BackupPanel.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Security.KeyRing;

/// <summary>
/// At start-up: seals the keys an older version stored in the clear (an upgrade), and checks that the key file opens
/// the key ring already in the database, so that a node with the wrong file stops with one clear line instead of
/// failing every sign-in and every secret later.
/// </summary>
public sealed class KeyRingSealing(IDbContextFactory<BackupPanelDbContext> dbFactory, KeyRingKey key, IServiceProvider services)
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    /// <summary>Returns how many stored keys were sealed now; throws when the key file does not open a sealed one.</summary>
    public async Task<int> SealAndCheckAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var encryptor = new KeyFileXmlEncryptor(key);
            var decryptor = new KeyFileXmlDecryptor(services);
            var sealedNow = 0;
            foreach (var row in await db.DataProtectionKeys.ToListAsync(ct).ConfigureAwait(false))
            {
                if (row.Xml is null) continue;
                var xml = XElement.Parse(row.Xml);
                foreach (var existing in xml.Descendants(KeyFileXmlEncryptor.SealedElement))
                {
                    decryptor.Decrypt(existing); // throws with the reason when this is the wrong key file
                }

                var clear = xml.Descendants().Where(e => (string?)e.Attribute(DataProtection + "requiresEncryption") == "true").ToList();
                if (clear.Count == 0) continue;
                foreach (var element in clear)
                {
                    var info = encryptor.Encrypt(element);
                    element.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                        new XComment(" Sealed with the panel's key file (keyring.key). "),
                        new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!),
                        info.EncryptedElement));
                }
                xml.DescendantNodes().OfType<XComment>().Where(c => c.Value.Contains("unencrypted", StringComparison.OrdinalIgnoreCase)).Remove();
                row.Xml = xml.ToString(SaveOptions.DisableFormatting);
                sealedNow++;
            }
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            return sealedNow;
        }
    }
}
