using Npgsql;

namespace BackupPanel.Core.Backups;

/// <summary>
/// One backup (or restore) per domain at a time, across every node: a PostgreSQL session advisory lock held on its
/// own connection for the length of the run. A crashed process loses its connection, and with it the lock.
/// </summary>
public sealed class DomainLock : IAsyncDisposable
{
    private const int Namespace = 0x42500001; // "BP" + 1: backup runs
    private readonly NpgsqlConnection _connection;

    private DomainLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Takes the lock for <paramref name="domainId"/>, or returns null when another run holds it.</summary>
    public static async Task<DomainLock?> TryAcquireAsync(string connectionString, Guid domainId, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, @key)", connection);
        command.Parameters.AddWithValue("ns", Namespace);
        command.Parameters.AddWithValue("key", BitConverter.ToInt32(domainId.ToByteArray(), 0) ^ BitConverter.ToInt32(domainId.ToByteArray(), 12));
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
