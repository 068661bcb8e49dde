using Npgsql;

namespace BackupPanel.Core.Backups;

/// <summary>
/// One backup per domain at a time, across every node: a PostgreSQL session advisory lock held on its own connection
/// for the length of the run. A crashed process loses its connection, and with it the lock, which is how abandoned
/// runs are told from live ones. Restores and imports hold one per run for that reason.
/// </summary>
public sealed class DomainLock : IAsyncDisposable
{
    private const int DomainNamespace = 0x42500001; // "BP" + 1: backup runs per domain
    private const int RestoreNamespace = 0x42500002; // "BP" + 2: one restore run
    private const int ImportNamespace = 0x42500003; // "BP" + 3: one import run
    private readonly NpgsqlConnection _connection;

    private DomainLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Takes the lock for <paramref name="domainId"/>, or returns null when another run holds it.</summary>
    public static Task<DomainLock?> TryAcquireAsync(string connectionString, Guid domainId, CancellationToken ct) =>
        TryAcquireAsync(connectionString, DomainNamespace, domainId, ct);

    /// <summary>
    /// Takes the lock a restore run holds while it works, so that a "Running" restore whose lock is free is known to
    /// be abandoned (see <see cref="InterruptedRunSweeper"/>).
    /// </summary>
    public static Task<DomainLock?> TryAcquireRestoreAsync(string connectionString, Guid restoreId, CancellationToken ct) =>
        TryAcquireAsync(connectionString, RestoreNamespace, restoreId, ct);

    /// <summary>The lock an import run holds while it works (a "Running" import whose lock is free was abandoned).</summary>
    public static Task<DomainLock?> TryAcquireImportAsync(string connectionString, Guid importId, CancellationToken ct) =>
        TryAcquireAsync(connectionString, ImportNamespace, importId, ct);

    private static async Task<DomainLock?> TryAcquireAsync(string connectionString, int lockNamespace, Guid id, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, @key)", connection);
        command.Parameters.AddWithValue("ns", lockNamespace);
        command.Parameters.AddWithValue("key", BitConverter.ToInt32(id.ToByteArray(), 0) ^ BitConverter.ToInt32(id.ToByteArray(), 12));
        if ((bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
        {
            return new DomainLock(connection);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Releases the lock by closing its session.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
