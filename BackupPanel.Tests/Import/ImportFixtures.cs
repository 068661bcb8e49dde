using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Import;

/// <summary>
/// The import test archives, made once per test run by scripts/import-fixtures.py from invented content (its
/// PostgreSQL dumps come from a throwaway database on the suite's server).
/// </summary>
public static class ImportFixtures
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _dir;

    public static async Task<string> GetAsync(PostgresFixture postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        await Once.WaitAsync();
        try
        {
            if (_dir is null)
            {
                var dir = Path.Combine(TestPaths.NewTempDir("import-fx"), "fixtures");
                var url = $"postgresql://postgres@127.0.0.1:{postgres.Server.Port}/postgres";
                (await Shell.RunAsync("python3", [Path.Combine(TestPaths.RepositoryRoot, "scripts", "import-fixtures.py"), dir, "--pg-url", url])).EnsureSuccess("import-fixtures.py");
                _dir = dir;
            }

            return _dir;
        }
        finally
        {
            Once.Release();
        }
    }
}
