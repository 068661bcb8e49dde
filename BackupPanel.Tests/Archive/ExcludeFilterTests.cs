using BackupPanel.Core.Archive;

namespace BackupPanel.Tests.Archive;

public sealed class ExcludeFilterTests
{
    [Theory]
    [InlineData("*.log", "debug.log", false, true)]
    [InlineData("*.log", "logs/deep/app.log", false, true)]
    [InlineData("*.log", "app.log.gz", false, false)]
    [InlineData("cache", "wp-content/cache", true, true)]
    [InlineData("wp-content/cache", "wp-content/cache", true, true)]
    [InlineData("wp-content/cache", "other/wp-content/cache", true, false)]
    [InlineData("logs/**/*.gz", "logs/a/b/c.gz", false, true)]
    [InlineData("logs/**/*.gz", "logs/c.gz", false, true)]
    [InlineData("node_modules/", "node_modules", true, true)]
    [InlineData("node_modules/", "node_modules", false, false)]
    [InlineData("tmp?", "tmp1", true, true)]
    [InlineData("tmp?", "tmp12", true, false)]
    [InlineData("a+b(c).txt", "a+b(c).txt", false, true)]
    public void IsExcluded_Pattern_MatchesAsDocumented(string pattern, string path, bool isDirectory, bool expected) =>
        Assert.Equal(expected, new ExcludeFilter([pattern]).IsExcluded(path, isDirectory));

    [Theory]
    [InlineData("../etc")]
    [InlineData("/")]
    [InlineData("a\u0000b")]
    public void Constructor_HostilePattern_IsRefusedWithTheReason(string pattern)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ExcludeFilter([pattern]));
        Assert.Contains("pattern", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TooManyOrHugePatterns_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new ExcludeFilter(Enumerable.Range(0, 201).Select(i => $"p{i}")));
        Assert.Throws<ArgumentException>(() => new ExcludeFilter([new string('*', 10_000)]));
    }
}
