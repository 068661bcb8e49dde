namespace BackupPanel.Tests.Infrastructure;

/// <summary>Short temp paths (PostgreSQL's socket path must stay short) and the artifacts folder for screenshots.</summary>
public static class TestPaths
{
    /// <summary>Added to the allowed roots of every app the suite starts: its domains and destinations are temporary folders.</summary>
    public const string AllowedTestRoot = "/tmp";

    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine("/tmp", $"bp-{prefix}-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Where screenshots go: $BACKUPPANEL_ARTIFACTS, else TestResults/artifacts under the repository.</summary>
    public static string Artifacts
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("BACKUPPANEL_ARTIFACTS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(RepositoryRoot, "TestResults", "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BackupPanel.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("BackupPanel.sln not found above the test binaries");
        }
    }

    /// <summary>
    /// The web app in its own build output (as `make run` starts it): its static-assets manifest lives there, not in
    /// the test project's output. Same configuration (Debug/Release) as the tests.
    /// </summary>
    public static string WebAppDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepositoryRoot, "BackupPanel", "bin", configuration, "net10.0", "BackupPanel.dll");
        }
    }
}
