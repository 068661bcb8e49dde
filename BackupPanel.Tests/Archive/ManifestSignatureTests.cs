using System.Text;
using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;

namespace BackupPanel.Tests.Archive;

/// <summary>manifest.sig: what the panel signs checks out with its key only; anything else is refused and never throws.</summary>
public sealed class ManifestSignatureTests
{
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("{\n  \"format\": \"backuppanel-archive\"\n}");

    [Fact]
    public void Sign_ThenCheck_ValidWithTheKey_UnknownWithout_InvalidWhenOneByteChanges()
    {
        var key = AgeIdentity.Generate();
        var signature = ManifestSignature.Sign(Manifest, key);
        var changed = (byte[])Manifest.Clone();
        changed[^3] ^= 1;

        Assert.Equal(SignatureState.Valid, ManifestSignature.Check(Manifest, signature, [AgeIdentity.Generate(), key], out var by));
        Assert.Equal(key.Recipient.ToString(), by);
        Assert.Equal(SignatureState.UnknownKey, ManifestSignature.Check(Manifest, signature, [AgeIdentity.Generate()]));
        Assert.Equal(SignatureState.Invalid, ManifestSignature.Check(changed, signature, [key]));
        Assert.Equal(SignatureState.Missing, ManifestSignature.Check(Manifest, null, [key]));
    }

    public static TheoryData<string> Hostile => new()
    {
        "", "{", "null", "[]", "{\"format\":\"backuppanel-signature\"}",
        "{\"format\":\"backuppanel-signature\",\"version\":1,\"algorithm\":\"hmac-sha256\",\"key\":null,\"mac\":null}",
        "{\"format\":\"backuppanel-signature\",\"version\":1,\"algorithm\":\"hmac-sha256\",\"key\":\"KEY\",\"mac\":\"zz" + new string('0', 62) + "\"}",
        "{\"format\":\"backuppanel-signature\",\"version\":2,\"algorithm\":\"hmac-sha256\",\"key\":\"KEY\",\"mac\":\"" + new string('0', 64) + "\"}",
        "{\"format\":\"backuppanel-signature\",\"version\":1,\"algorithm\":\"none\",\"key\":\"KEY\",\"mac\":\"\"}",
        new string('x', 1 << 20),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Check_HostileSignatureFiles_InvalidOrUnknown_NeverValidNeverThrows(string text)
    {
        var key = AgeIdentity.Generate();
        var signature = Encoding.UTF8.GetBytes(text.Replace("KEY", key.Recipient.ToString(), StringComparison.Ordinal));

        Assert.Equal(SignatureState.Invalid, ManifestSignature.Check(Manifest, signature, [key]));
    }
}
