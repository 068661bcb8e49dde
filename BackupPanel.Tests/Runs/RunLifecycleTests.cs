using BackupPanel.Core.Archive;
using BackupPanel.Core.Archive.Age;
using BackupPanel.Core.Import;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Storage;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Runs;

/// <summary>The one classification of failures, and the run lifecycle every runner shares.</summary>
[Collection(AppCollectionDefinition.Name)]
public sealed class RunLifecycleTests(AppFixture app)
{
    private static readonly ProgressFlush NoRow = (_, _, _, _, _, _) => Task.FromResult(false);

    private RunLifecycle Lifecycle => app.Services.GetRequiredService<RunLifecycle>();

    public static TheoryData<Exception, bool, bool, bool> Failures => new()
    {
        // exception, expected, damage, bad copy
        { new RunFailedException("the database does not answer"), true, false, false },
        { new ImportRefusedException("a zip, not a tar"), true, false, false },
        { new StorageException(StorageErrorKind.Transient, "timed out"), true, false, true },
        { new ArchiveCorruptException("files.tar.zst", "does not match its SHA-256"), true, true, true },
        { new UnsafeArchiveException("../etc/passwd climbs out of the target"), true, true, false },
        { new AgeException("no identity matches"), true, true, false },
        { new InvalidDataException("zstd: corrupted block"), true, true, false },
        { new EndOfStreamException("truncated"), true, true, false },
        { new IOException("No space left on device"), true, false, false },
        { new UnauthorizedAccessException("Permission denied"), true, false, false },
        { new InvalidOperationException("Sequence contains more than one element"), false, false, false },
        { new KeyNotFoundException("no such key"), false, false, false },
        { new ArgumentException("bad"), false, false, false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ExpectedFailure_Exception_IsClassifiedOnce(Exception ex, bool expected, bool damage, bool badCopy)
    {
        Assert.Equal((expected, damage, badCopy), (ExpectedFailure.Is(ex), ExpectedFailure.IsDamage(ex), ExpectedFailure.IsBadCopy(ex)));
    }

    [Fact]
    public async Task WorkAsync_Succeeds_NothingLogged()
    {
        var log = Lifecycle.NewLog();

        var outcome = await Lifecycle.WorkAsync(log, NoRow, null, _ => Task.CompletedTask, default);

        Assert.Equal(RunResult.Succeeded, outcome.Result);
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public async Task WorkAsync_ExpectedFailure_FailsWithItsWordsAndIsNotThrown()
    {
        var log = Lifecycle.NewLog();

        var outcome = await Lifecycle.WorkAsync(log, NoRow, null, _ => throw new RunFailedException("The folder /srv/www does not exist."), default);

        Assert.Equal((RunResult.Failed, "The folder /srv/www does not exist.", false), (outcome.Result, outcome.Error, outcome.IsBug));
        Assert.Contains("Failed: The folder /srv/www does not exist.", log.ToString(), StringComparison.Ordinal);
        outcome.ThrowIfBug(); // nothing to throw
    }

    [Fact]
    public async Task WorkAsync_Bug_FailsAsUnexpectedAndIsThrownOnWithItsStackTrace()
    {
        var log = Lifecycle.NewLog();
        var bug = new InvalidOperationException("Sequence contains more than one element");

        var outcome = await Lifecycle.WorkAsync(log, NoRow, null, _ => throw bug, default);

        Assert.Equal((RunResult.Failed, "Unexpected error: Sequence contains more than one element", true), (outcome.Result, outcome.Error, outcome.IsBug));
        Assert.Contains("Unexpected error: Sequence contains more than one element", log.ToString(), StringComparison.Ordinal);
        Assert.Same(bug, Assert.Throws<InvalidOperationException>(outcome.ThrowIfBug));
    }

    [Fact]
    public async Task WorkAsync_CancelledByTheJob_EndsCancelled()
    {
        using var job = new CancellationTokenSource();

        var outcome = await Lifecycle.WorkAsync(Lifecycle.NewLog(), NoRow, null, async run =>
        {
            await job.CancelAsync();
            run.Token.ThrowIfCancellationRequested();
        }, job.Token);

        Assert.Equal(RunResult.Cancelled, outcome.Result);
    }

    [Fact]
    public async Task WorkAsync_CancelAskedOnTheRow_EndsCancelledAtTheNextProgressTick()
    {
        var flushes = 0;
        ProgressFlush cancelAsked = (_, _, _, _, _, _) => Task.FromResult(Interlocked.Increment(ref flushes) > 0);

        var outcome = await Lifecycle.WorkAsync(Lifecycle.NewLog(), cancelAsked, null, run => new TaskCompletionSource().Task.WaitAsync(run.Token), default);

        Assert.Equal(RunResult.Cancelled, outcome.Result);
        Assert.True(flushes >= 1);
    }

    [Fact]
    public async Task WorkAsync_SomeoneElsesTimeout_IsABugNotACancel()
    {
        var outcome = await Lifecycle.WorkAsync(Lifecycle.NewLog(), NoRow, null, _ => throw new TaskCanceledException("an HTTP call timed out"), default);

        Assert.Equal((RunResult.Failed, true), (outcome.Result, outcome.IsBug));
    }
}
