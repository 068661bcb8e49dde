using System.Text;
using BackupPanel.Core.Archive;

namespace BackupPanel.Tests.Archive;

/// <summary>manifest.json keeps the shape docs/FORMAT.md documents, byte for byte, and reads back to the same record.</summary>
public sealed class ManifestJsonTests
{
    private static readonly ArchiveManifest Sample = new()
    {
        BackupId = Guid.Parse("6f1c2e0a-1111-4222-8333-944455556666"),
        Domain = "example.com",
        Type = "Full",
        StartedAt = new DateTimeOffset(2026, 11, 25, 2, 0, 0, 123, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 25, 2, 3, 41, 870, TimeSpan.Zero),
        Tool = "BackupPanel 0.1.0",
        Components =
        [
            new ArchiveComponent
            {
                Name = "files.tar.zst.age", Kind = "files", StoredSize = 385_859_525, StoredSha256 = new string('c', 64),
                PlainSize = 1_215_686_144, PlainSha256 = new string('f', 64), Entries = 41_491, Encryption = "age", Recipients = ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"],
            },
            new ArchiveComponent
            {
                Name = "db-postgresql-shop.dump.zst", Kind = "postgresql", Database = "shop", StoredSize = 0, StoredSha256 = new string('0', 64),
                PlainSize = 0, PlainSha256 = new string('1', 64),
            },
        ],
    };

    [Fact]
    public void ToJson_HasTheDocumentedShape()
    {
        const string expected = """
            {
              "format": "backuppanel-archive",
              "version": 1,
              "backupId": "6f1c2e0a-1111-4222-8333-944455556666",
              "domain": "example.com",
              "type": "Full",
              "startedAt": "2026-11-25T02:00:00.123+00:00",
              "finishedAt": "2026-11-25T02:03:41.87+00:00",
              "tool": "BackupPanel 0.1.0",
              "components": [
                {
                  "name": "files.tar.zst.age",
                  "kind": "files",
                  "database": null,
                  "storedSize": 385859525,
                  "storedSha256": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
                  "plainSize": 1215686144,
                  "plainSha256": "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                  "entries": 41491,
                  "compression": "zstd",
                  "encryption": "age",
                  "recipients": [
                    "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
                  ]
                },
                {
                  "name": "db-postgresql-shop.dump.zst",
                  "kind": "postgresql",
                  "database": "shop",
                  "storedSize": 0,
                  "storedSha256": "0000000000000000000000000000000000000000000000000000000000000000",
                  "plainSize": 0,
                  "plainSha256": "1111111111111111111111111111111111111111111111111111111111111111",
                  "entries": null,
                  "compression": "zstd",
                  "encryption": "none",
                  "recipients": []
                }
              ]
            }
            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), Encoding.UTF8.GetString(Sample.ToJson()));
    }

    [Fact]
    public void Parse_OfToJson_GivesTheSameManifest()
    {
        var parsed = ArchiveManifest.Parse(Sample.ToJson());

        Assert.Equal(Sample with { Components = [] }, parsed with { Components = [] });
        Assert.Equal(Sample.Components.Count, parsed.Components.Count);
        for (var i = 0; i < Sample.Components.Count; i++)
        {
            Assert.Equal(Sample.Components[i] with { Recipients = [] }, parsed.Components[i] with { Recipients = [] });
            Assert.Equal(Sample.Components[i].Recipients, parsed.Components[i].Recipients);
        }
    }

    [Fact]
    public void Parse_NumbersAsStringsAndOtherCase_StillRead()
    {
        // What the Web defaults accept, kept so that older or hand-edited manifests still read.
        var json = Encoding.UTF8.GetString(Sample.ToJson()).Replace("\"storedSize\": 385859525", "\"StoredSize\": \"385859525\"", StringComparison.Ordinal);

        Assert.Equal(385_859_525, ArchiveManifest.Parse(Encoding.UTF8.GetBytes(json)).Components[0].StoredSize);
    }
}
