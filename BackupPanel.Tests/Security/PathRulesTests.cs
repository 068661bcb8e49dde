using BackupPanel.Core.Security.Paths;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Security;

/// <summary>Where root may read and write: the forbidden folders and their parents, the allowed roots, links followed.</summary>
public sealed class PathRulesTests : IDisposable
{
    private const string Data = "/var/lib/backuppanel";
    private static readonly string[] Roots = ["/home", "/var/www", "/srv"];
    private readonly string _dir = TestPaths.NewTempDir("paths");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("/", "never allowed")]
    [InlineData("/etc", "never allowed")]
    [InlineData("/etc/nginx/sites", "never allowed")]
    [InlineData("/root/.ssh", "never allowed")]
    [InlineData("/boot", "never allowed")]
    [InlineData("/proc/1/root", "never allowed")]
    [InlineData("/sys/kernel", "never allowed")]
    [InlineData("/dev/shm", "never allowed")]
    [InlineData("/run/user", "never allowed")]
    [InlineData("/usr/local/www", "never allowed")]
    [InlineData("/bin", "never allowed")]
    [InlineData("/sbin/x", "never allowed")]
    [InlineData("/lib/x", "never allowed")]
    [InlineData("/lib64/x", "never allowed")]
    [InlineData("/libx32", "never allowed")]
    [InlineData("/var", "never allowed")] // holds /var/lib/backuppanel
    [InlineData("/var/lib", "never allowed")]
    [InlineData("/var/lib/backuppanel/keys", "never allowed")]
    [InlineData("/var/lib/backuppanel/backups", "never allowed")] // not for domains
    [InlineData("/opt/site", "is not under a folder allowed")]
    [InlineData("/home2/alice", "is not under a folder allowed")] // by whole names, not by prefix
    [InlineData("/var/wwwx", "is not under a folder allowed")]
    [InlineData("relative/www", "absolute")]
    [InlineData("", "absolute")]
    [InlineData("/home/a\nb", "absolute")]
    public void Check_ForDomains_Refused(string path, string reason)
    {
        var error = PathRules.Check(path, PathUse.Data, Roots, Data);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/home/alice/public_html")]
    [InlineData("/var/www/example.com")]
    [InlineData("/srv")]
    [InlineData("/srv/restore/../site")] // '..' resolved before the check
    public void Check_ForDomains_UnderAnAllowedRoot_Allowed(string path) =>
        Assert.Null(PathRules.Check(path, PathUse.Data, Roots, Data));

    [Fact]
    public void Check_ForDestinations_TheDataFoldersBackupsOnly()
    {
        string[] roots = [PathRules.DefaultDestinationRoot(Data), "/mnt/disk"];

        Assert.Null(PathRules.Check("/var/lib/backuppanel/backups/nightly", PathUse.Destination, roots, Data));
        Assert.Null(PathRules.Check("/mnt/disk/panel", PathUse.Destination, roots, Data));
        Assert.Contains("never allowed", PathRules.Check("/var/lib/backuppanel/pg", PathUse.Destination, roots, Data), StringComparison.Ordinal);
        Assert.Contains("never allowed", PathRules.Check("/etc/backups", PathUse.Destination, [.. roots, "/etc"], Data), StringComparison.Ordinal);
        Assert.Contains("not under", PathRules.Check("/home/alice", PathUse.Destination, roots, Data), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ALinkAlongThePath_IsFollowedBeforeTheCheck()
    {
        // An allowed folder holding a link to /etc (a tenant's doing, or a mistake): the path is judged where it leads.
        var allowed = Path.Combine(_dir, "sites");
        Directory.CreateDirectory(allowed);
        File.CreateSymbolicLink(Path.Combine(allowed, "evil"), "/etc");
        File.CreateSymbolicLink(Path.Combine(allowed, "up"), "../../../../etc/ssh");
        File.CreateSymbolicLink(Path.Combine(allowed, "loop"), Path.Combine(allowed, "loop"));
        Directory.CreateDirectory(Path.Combine(allowed, "real"));
        File.CreateSymbolicLink(Path.Combine(allowed, "fine"), "real");

        Assert.Contains("/etc/nginx (where", PathRules.Check(Path.Combine(allowed, "evil", "nginx"), PathUse.Data, [allowed], Data), StringComparison.Ordinal);
        Assert.Contains("/etc/ssh (where", PathRules.Check(Path.Combine(allowed, "up"), PathUse.Data, [allowed], Data), StringComparison.Ordinal);
        Assert.Contains("too many links", PathRules.Check(Path.Combine(allowed, "loop", "x"), PathUse.Data, [allowed], Data), StringComparison.Ordinal);
        Assert.Null(PathRules.Check(Path.Combine(allowed, "fine", "www"), PathUse.Data, [allowed], Data));
        // An allowed root that is itself a link is taken where it leads, too.
        Assert.Null(PathRules.Check(Path.Combine(allowed, "real", "www"), PathUse.Data, [Path.Combine(allowed, "fine")], Data));
    }
}
