using System.Security.Cryptography;

namespace BackupPanel.Core.Security;

/// <summary>Generates one-time passwords that satisfy the Identity password rules (upper, lower, digit, symbol).</summary>
public static class PasswordGenerator
{
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    /// <summary>Four groups of five characters joined by '-', e.g. <c>Kx7pq-…</c>; about 110 bits of entropy.</summary>
    public static string Generate()
    {
        var all = Lower + Upper + Digits;
        var groups = new string[4];
        for (var g = 0; g < groups.Length; g++) groups[g] = RandomNumberGenerator.GetString(all, 5);
        // Guarantee each class once, at a fixed place, without weakening the random remainder much.
        groups[0] = string.Concat(RandomNumberGenerator.GetString(Upper, 1), groups[0].AsSpan(1));
        groups[1] = string.Concat(RandomNumberGenerator.GetString(Lower, 1), groups[1].AsSpan(1));
        groups[2] = string.Concat(RandomNumberGenerator.GetString(Digits, 1), groups[2].AsSpan(1));
        return string.Join('-', groups);
    }
}
