using System.Text;
using BackupPanel.Core.Archive;
using BackupPanel.Tests.Archive;
using BackupPanel.Tests.Infrastructure;

namespace BackupPanel.Tests.Security;

/// <summary>
/// A tenant racing the panel: while backups and restores run as root, a thread swaps the domain's folders — a parent of
/// the files, the root or target itself, the restore's staging folder — for links to a canary folder outside, in a tight
/// loop. No canary byte may ever be read into a backup, and no byte may ever be written into the canary folder.
/// </summary>
public sealed class SymlinkSwapAdversaryTests : IDisposable
{
    private const int Rounds = 60;

    // Forty files deep in the tree: a walk spends long enough below the swapped folders for the races to happen.
    private static readonly string[] TreeNames =
        ["index.html", "a/one.txt", "a/b/two.txt", "a/b/c/d/four.txt", "z/last.txt", .. Enumerable.Range(0, 40).Select(i => $"a/b/c/file-{i:00}.txt")];
    private readonly string _dir = TestPaths.NewTempDir("adversary");
    private readonly string _marker = "CANARY-" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        foreach (var link in Directory.EnumerateFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Where(p => new FileInfo(p).LinkTarget is not null))
        {
            File.Delete(link);
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Backups_WhileTheTenantSwapsFoldersForLinks_NeverReadACanaryByte()
    {
        var site = Path.Combine(_dir, "site");
        var canary = Path.Combine(_dir, "canary");
        WriteTree(site, "site data");
        WriteTree(canary, _marker); // the same names, so that every swapped path leads somewhere readable

        var (leaked, failed, swaps, attempts) = (0, 0, 0, 0);
        var swapper = Swapper.Start(site, canary, ["a", "a/b", ""]);
        await using (swapper)
        {
            // Until sixty backups got through (those that met a swapped root were refused) and the tenant swapped sixty
            // times, at most 20,000 attempts.
            for (; (attempts - failed < Rounds || swapper.Swaps < Rounds) && attempts < 20_000; attempts++)
            {
                using var tar = new MemoryStream();
                try
                {
                    await TreeArchiver.WriteAsync(site, ExcludeFilter.None, tar, CancellationToken.None);
                }
                catch (IOException)
                {
                    failed++; // the root was a link at that moment: refused, which is right
                    continue;
                }

                leaked += Encoding.UTF8.GetString(tar.ToArray()).Contains(_marker, StringComparison.Ordinal) ? 1 : 0;
            }

            swaps = swapper.Swaps;
        }

        Assert.True(leaked == 0, $"{leaked} backups read the canary ({failed} refused a swapped root, {swaps} swaps)");
        Assert.True(attempts - failed >= Rounds && swaps >= Rounds, $"{attempts - failed} backups got through, {swaps} swaps; the test would prove little");
    }

    [Fact]
    public async Task Restores_WhileTheTenantSwapsFoldersForLinks_NeverWriteIntoTheCanary()
    {
        var source = Path.Combine(_dir, "source");
        WriteTree(source, "restored data");
        var destination = Path.Combine(_dir, "dest");
        var manifest = await ArchiveHarness.BackupTreeAsync(source, destination);
        var target = Path.Combine(_dir, "target");
        WriteTree(target, "the tenant's current files");
        var canary = Path.Combine(_dir, "canary");
        WriteTree(canary, _marker);
        var before = TreeSnapshot.Take(canary);

        var (failed, swaps, attempts) = (0, 0, 0);
        var swapper = Swapper.Start(target, canary, ["a", "a/b", "", Swapper.Staging]);
        await using (swapper)
        {
            for (; attempts - failed < Rounds && attempts < 5000; attempts++)
            {
                try
                {
                    await TreeComponents.RestoreAsync(ArchiveHarness.Reader(destination), manifest.Components[0], target, new ExtractOptions(), null, CancellationToken.None);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or UnsafeArchiveException)
                {
                    failed++; // refused a link, or lost a race with the tenant: nothing written outside either way
                }
            }

            swaps = swapper.Swaps;
        }

        Assert.Equal(before, TreeSnapshot.Take(canary));
        Assert.True(attempts - failed >= Rounds && swaps >= Rounds, $"{attempts - failed} restores got through, {swaps} swaps; the test would prove little");
    }

    private static void WriteTree(string root, string content)
    {
        foreach (var name in TreeNames)
        {
            TestTrees.Write(root, name, $"{content} ({name})");
        }
    }

    /// <summary>The tenant: swaps the listed folders (relative to the root; "" is the root, Staging the restore's staging folder) for links and back.</summary>
    private sealed class Swapper : IAsyncDisposable
    {
        public const string Staging = "<staging>";
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private Swapper(string root, string canary, string[] folders) =>
            _loop = Task.Run(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    foreach (var folder in folders)
                    {
                        var path = folder == Staging
                            ? Directory.EnumerateDirectories(root, TreeExtractor.StagingPrefix + "*").FirstOrDefault()
                            : Path.Combine(root, folder).TrimEnd('/');
                        if (path is not null)
                        {
                            if (SwapOnce(path, folder == Staging ? canary : Path.Combine(canary, folder)))
                            {
                                Interlocked.Increment(ref _swaps);
                            }
                        }
                    }
                }
            });

        private int _swaps;

        /// <summary>Starts the loop and returns once it has swapped a folder for a link at least once.</summary>
        public static Swapper Start(string root, string canary, string[] folders)
        {
            var swapper = new Swapper(root, canary, folders);
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref swapper._swaps) > 0 || swapper._loop.IsCompleted, TimeSpan.FromSeconds(30)), "the swapping thread never swapped");
            return swapper;
        }

        /// <summary>How many times a folder was a link to the canary.</summary>
        public int Swaps => Volatile.Read(ref _swaps);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }

        private static bool SwapOnce(string path, string canary)
        {
            var swapped = false;
            var aside = path + ".aside";
            try
            {
                Directory.Move(path, aside);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            try
            {
                File.CreateSymbolicLink(path, canary);
                swapped = true;
                Thread.SpinWait(20_000);
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The panel made something there meanwhile: leave it.
            }

            try
            {
                Directory.Move(aside, path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                try
                {
                    Directory.Delete(aside, recursive: true);
                }
                catch (Exception again) when (again is IOException or UnauthorizedAccessException)
                {
                    // Raced again; the next swap tries anew.
                }
            }

            return swapped;
        }
    }
}
