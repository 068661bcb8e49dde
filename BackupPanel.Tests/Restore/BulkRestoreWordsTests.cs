using BackupPanel.Core.Restore.Bulk;

namespace BackupPanel.Tests.Restore;

/// <summary>
/// The bulk restore's summary and confirmation say exactly what the choices do, for every combination of parts and
/// targets. Found: with only Databases and a suffix, it warned that files, mail and databases at the original places
/// were replaced, and the summary spoke of files and mail.
/// </summary>
public sealed class BulkRestoreWordsTests
{
    public static TheoryData<bool, bool, bool, string?, string?> Combinations()
    {
        var data = new TheoryData<bool, bool, bool, string?, string?>();
        foreach (var files in new[] { false, true })
            foreach (var databases in new[] { false, true })
                foreach (var mail in new[] { false, true })
                    foreach (var root in new[] { null, "/srv/r" })
                        foreach (var suffix in new[] { null, "_restored" })
                            if (files || databases || mail) data.Add(files, databases, mail, root, suffix);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Texts_NameOnlyWhatIsChosen_AndWarnOnlyAboutWhatIsReplacedInPlace(bool files, bool databases, bool mail, string? root, string? suffix)
    {
        var batch = new RestoreBatch { Files = files, Databases = databases, Mail = mail, AlternateRoot = root, DatabaseSuffix = suffix, SafetyBackup = true };

        var targets = BulkRestoreWords.Targets(batch);
        var replaced = BulkRestoreWords.ReplacedInPlace(batch);

        Assert.Equal(files, targets.Contains("files", StringComparison.Ordinal));
        Assert.Equal(mail, targets.Contains("mail", StringComparison.Ordinal));
        Assert.Equal(databases, targets.Contains("databases", StringComparison.Ordinal));
        if (databases) Assert.Contains(suffix is null ? "databases into their own" : "databases into NAME_restored", targets, StringComparison.Ordinal);
        if (files || mail) Assert.Contains(root is null ? "to their original places" : "under /srv/r/DOMAIN", targets, StringComparison.Ordinal);

        var filesInPlace = files && root is null;
        var mailInPlace = mail && root is null;
        var databasesInPlace = databases && suffix is null;
        if (!filesInPlace && !mailInPlace && !databasesInPlace)
        {
            Assert.Null(replaced);
            return;
        }

        Assert.NotNull(replaced);
        Assert.Equal(filesInPlace, replaced.Contains("iles", StringComparison.Ordinal));
        Assert.Equal(mailInPlace, replaced.Contains("ail", StringComparison.Ordinal));
        Assert.Equal(databasesInPlace, replaced.Contains("atabases", StringComparison.Ordinal));
        Assert.EndsWith("after a safety backup of each.", replaced, StringComparison.Ordinal);
    }

    [Fact]
    public void DryRun_WarnsAboutNothing()
    {
        var batch = new RestoreBatch { Files = true, Databases = true, Mail = true, DryRun = true };
        Assert.Null(BulkRestoreWords.ReplacedInPlace(batch));
    }

    [Fact]
    public void OnlyDatabasesWithASuffix_TheReportedCase_WarnsAboutNothingAndNamesNoFiles()
    {
        var batch = new RestoreBatch { Files = false, Databases = true, Mail = false, DatabaseSuffix = "_restored", SafetyBackup = true };
        Assert.Null(BulkRestoreWords.ReplacedInPlace(batch));
        Assert.Equal("databases into NAME_restored", BulkRestoreWords.Targets(batch));
    }
}
