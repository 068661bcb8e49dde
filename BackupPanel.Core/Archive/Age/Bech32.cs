using System.Text;

namespace BackupPanel.Core.Archive.Age;

/// <summary>Bech32 (BIP 173, not bech32m) as age uses it for keys, without BIP 173's 90-character limit.</summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        var values = ConvertBits(data, 8, 5, pad: true);
        var checksum = Checksum(hrp, values);
        var sb = new StringBuilder(hrp.Length + 1 + values.Count + 6).Append(hrp).Append('1');
        foreach (var v in values.Concat(checksum))
        {
            sb.Append(Charset[v]);
        }

        return sb.ToString();
    }

    /// <summary>Decodes a bech32 string with the expected human-readable part; null when malformed.</summary>
    public static byte[]? Decode(string text, string expectedHrp)
    {
        if (text.Any(char.IsLower) && text.Any(char.IsUpper))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || lower.Length - separator < 7 || lower[..separator] != expectedHrp)
        {
            return null;
        }

        var values = new List<byte>();
        foreach (var c in lower[(separator + 1)..])
        {
            var index = Charset.IndexOf(c, StringComparison.Ordinal);
            if (index < 0)
            {
                return null;
            }

            values.Add((byte)index);
        }

        if (Polymod(ExpandHrp(expectedHrp).Concat(values)) != 1)
        {
            return null;
        }

        var bytes = ConvertBits(values.Take(values.Count - 6).ToArray(), 5, 8, pad: false);
        return bytes.ToArray();
    }

    private static List<byte> ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var result = new List<byte>();
        var max = (1 << to) - 1;
        foreach (var value in data)
        {
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & max));
            }
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((acc << (to - bits)) & max));
        }

        return result;
    }

    private static byte[] Checksum(string hrp, List<byte> values)
    {
        var mod = Polymod(ExpandHrp(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        return Enumerable.Range(0, 6).Select(i => (byte)((mod >> (5 * (5 - i))) & 31)).ToArray();
    }

    private static IEnumerable<byte> ExpandHrp(string hrp) =>
        hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                chk ^= ((top >> i) & 1) != 0 ? Generator[i] : 0;
            }
        }

        return chk;
    }
}
