using BackupPanel.Core.Backups.Sources;

namespace BackupPanel.Tests.Backups;

public sealed class PostgreSqlSourceTests
{
    public static string PgBin => Path.Combine(PostgreSqlSource.ToolRoot, PostgreSqlSource.InstalledMajors().Max().ToString(System.Globalization.CultureInfo.InvariantCulture), "bin");

    [Fact]
    public void FindPgDump_ServerNewerThanEveryInstalledPgDump_SaysWhatToInstall()
    {
        var newest = PostgreSqlSource.InstalledMajors().Max();

        var ex = Assert.Throws<BackupSourceException>(() => PostgreSqlSource.FindPgDump(newest + 1));

        Assert.Contains($"PostgreSQL {newest + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"install postgresql-client-{newest + 1}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindPgDump_OlderServer_PicksAnInstalledPgDumpAtLeastAsNew()
    {
        var path = PostgreSqlSource.FindPgDump(9);

        Assert.True(File.Exists(path));
        Assert.StartsWith(PostgreSqlSource.ToolRoot, path, StringComparison.Ordinal);
    }
}
