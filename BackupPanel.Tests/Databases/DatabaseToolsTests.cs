using BackupPanel.Core.Databases;
using BackupPanel.Core.Runs;

namespace BackupPanel.Tests.Databases;

public sealed class DatabaseToolsTests
{
    public static string PgBin => Path.Combine(DatabaseTools.PostgreSqlRoot, DatabaseTools.InstalledPostgreSqlMajors().Max().ToString(System.Globalization.CultureInfo.InvariantCulture), "bin");

    [Fact]
    public void PgDump_ServerNewerThanEveryInstalledPgDump_SaysWhatToInstall()
    {
        var newest = DatabaseTools.InstalledPostgreSqlMajors().Max();

        var ex = Assert.Throws<RunFailedException>(() => DatabaseTools.PgDump(newest + 1));

        Assert.Contains($"PostgreSQL {newest + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"install postgresql-client-{newest + 1}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PgDump_OlderServer_PicksAnInstalledPgDumpAtLeastAsNew()
    {
        var path = DatabaseTools.PgDump(9);

        Assert.True(File.Exists(path));
        Assert.StartsWith(DatabaseTools.PostgreSqlRoot, path, StringComparison.Ordinal);
    }
}
