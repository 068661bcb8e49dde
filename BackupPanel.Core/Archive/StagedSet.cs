namespace BackupPanel.Core.Archive;

/// <summary>Something restored and checked but not yet in place: a staged tree or a staged dump file.</summary>
public interface IStaged : IDisposable
{
    /// <summary>Puts it in place.</summary>
    void Commit();
}

/// <summary>
/// The components of one restore, all staged and checked before any is committed: a restore is all or nothing. The
/// commit runs in the order the components were added; should one fail (a disk error, a database that stops
/// answering), the exception says truthfully which were restored and which were not. Disposing removes whatever was
/// staged and not committed.
/// </summary>
public sealed class StagedSet : IDisposable
{
    private readonly List<(string Name, IDisposable? Staged, Func<CancellationToken, Task> Commit)> _items = [];
    private readonly List<string> _committed = [];

    /// <summary>The names committed so far, in order.</summary>
    public IReadOnlyList<string> Committed => _committed;

    /// <summary>The names staged, in order.</summary>
    public IEnumerable<string> Names => _items.Select(i => i.Name);

    /// <summary>Adds a staged tree or file.</summary>
    public void Add(string name, IStaged staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        _items.Add((name, staged, _ =>
        {
            staged.Commit();
            return Task.CompletedTask;
        }));
    }

    /// <summary>Adds a step of its own (loading a checked dump into a database), with what to remove if it never runs.</summary>
    public void Add(string name, IDisposable? staged, Func<CancellationToken, Task> commit) => _items.Add((name, staged, commit));

    /// <summary>
    /// Commits every item in order. A failure is rethrown as an <see cref="IOException"/> naming what was and was not
    /// restored (cancellation as it is; <see cref="Committed"/> then says what was).
    /// </summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        foreach (var (name, _, commit) in _items)
        {
            try
            {
                await commit(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new IOException(NotAllRestored(name, ex), ex);
            }

            _committed.Add(name);
        }
    }

    /// <summary>The true account of a commit that stopped at <paramref name="failed"/>.</summary>
    private string NotAllRestored(string failed, Exception ex)
    {
        var notRestored = _items.Select(i => i.Name).SkipWhile(n => n != failed).ToList();
        return $"{failed}: {ex.Message.TrimEnd('.')}. Restored: {(_committed.Count == 0 ? "nothing" : string.Join(", ", _committed))}; "
            + $"not restored: {string.Join(", ", notRestored)}.";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, staged, _) in _items)
        {
            staged?.Dispose();
        }
    }
}
