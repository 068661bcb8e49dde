using Microsoft.AspNetCore.DataProtection;

namespace BackupPanel.Core.Security;

/// <summary>
/// Encrypts secrets at rest (database passwords, destination credentials, the panel's age identity) with ASP.NET
/// Data Protection, whose keys live in PostgreSQL. Ciphertexts are only ever turned back into secrets to use them.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("BackupPanel.Secrets.v1");

    /// <summary>The ciphertext of <paramref name="secret"/>, safe to store.</summary>
    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret behind a ciphertext made by <see cref="Protect"/>.</summary>
    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);
}
