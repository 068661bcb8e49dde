using BackupPanel.Core.Storage.Ftp;

namespace BackupPanel.Tests.Storage;

public sealed class FtpListingTests
{
    [Theory]
    [InlineData("-rw-r--r--    1 1000     1000         4096 Nov 25 12:00 plain.bin", "plain.bin", false, 4096)]
    [InlineData("-rw-------    1 ftp      ftp      123456789012 Jan  1  2025 a file  with  spaces.tar", "a file  with  spaces.tar", false, 123456789012)]
    [InlineData("drwxr-xr-x    2 1000     1000         4096 Nov 25 12:00 a folder", "a folder", true, 0)]
    [InlineData("-rw-r--r--+   1 user     group          12 Dec 31 23:59 日本語 ファイル.txt", "日本語 ファイル.txt", false, 12)]
    [InlineData("type=file;size=1234;modify=20261125120000;UNIX.mode=0644; name with spaces.bin", "name with spaces.bin", false, 1234)]
    [InlineData("type=dir;modify=20261125120000; sub dir", "sub dir", true, 0)]
    [InlineData("11-25-26  12:00PM       <DIR>          dos folder", "dos folder", true, 0)]
    [InlineData("11-25-26  12:00PM                 1234 dos file.bin", "dos file.bin", false, 1234)]
    public void ParseLine_KnownFormats_GivesNameKindAndSize(string line, string name, bool directory, long size)
    {
        var entry = FtpListing.ParseLine(line);

        Assert.NotNull(entry);
        Assert.Equal(name, entry.Name);
        Assert.Equal(directory, entry.IsDirectory);
        Assert.Equal(!directory, entry.IsFile);
        Assert.Equal(size, entry.Size);
    }

    [Theory]
    [InlineData("total 12")]
    [InlineData("")]
    [InlineData("garbage line without structure")]
    [InlineData("-rw-r--r-- 1 a b notanumber Nov 25 12:00 x")]
    [InlineData("-rw-r--r-- 1 a b 12 Nov 25 12:00 ../escape")]
    [InlineData("type=file;size=1; a/b")]
    [InlineData("-rw-r--r-- 1 a b 12 Nov 25")]
    [InlineData("zzzzzzzzzzzzzzzzzzzz")]
    public void ParseLine_NotAnEntryOrHostileName_IsSkipped(string line) => Assert.Null(FtpListing.ParseLine(line));

    [Theory]
    [InlineData("lrwxrwxrwx    1 0 0 11 Nov 25 12:00 link -> /etc/passwd", false)]
    [InlineData("lrwxrwxrwx    1 0 0 11 Nov 25 12:00 link -> target", true)]
    public void ParseLine_LinkLine_IsNeverAFileOrFolder(string line, bool listed)
    {
        var entry = FtpListing.ParseLine(line);

        Assert.Equal(listed, entry is not null);
        Assert.False(entry?.IsFile ?? false);
        Assert.False(entry?.IsDirectory ?? false);
    }

    [Fact]
    public void Parse_WholeListing_SkipsDotsTotalsAndHugeLines()
    {
        var listing = "total 8\r\ndrwxr-xr-x 2 0 0 4096 Nov 25 12:00 .\r\ndrwxr-xr-x 2 0 0 4096 Nov 25 12:00 ..\r\n" +
            "-rw-r--r-- 1 0 0 5 Nov 25 12:00 one.bin\r\n" + new string('x', 100_000) + "\r\n";

        Assert.Equal(["one.bin"], FtpListing.Parse(listing).Select(e => e.Name));
    }
}
