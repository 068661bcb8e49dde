using Npgsql;

namespace BackupPanel.Core.Runs;

/// <summary>The kinds of run lock; each kind is its own advisory-lock namespace, so ids of different kinds never collide.</summary>
public enum RunLockScope
{
    /// <summary>Backups of one domain: one at a time, across every node (the key is the domain's id).</summary>
    Domain = 0x42500001, // "BP" + 1

    /// <summary>One restore run (the key is the run's id).</summary>
    Restore = 0x42500002,

    /// <summary>One import run (the key is the run's id).</summary>
    Import = 0x42500003,
}

/// <summary>
/// A PostgreSQL session advisory lock held on its own connection for the length of a run. A crashed process loses
/// its connection, and with it the lock, which is how <see cref="InterruptedRunSweeper"/> tells abandoned runs from
/// live ones: a "Running" run whose lock is free has no process any more.
/// </summary>
public sealed class RunLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private RunLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Takes the lock of <paramref name="scope"/> for <paramref name="id"/>, or returns null when another run holds it.</summary>
    public static async Task<RunLock?> TryAcquireAsync(string connectionString, RunLockScope scope, Guid id, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, @key)", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("ns", (int)scope);
        command.Parameters.AddWithValue("key", BitConverter.ToInt32(id.ToByteArray(), 0) ^ BitConverter.ToInt32(id.ToByteArray(), 12));
        if ((bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
        {
            return new RunLock(connection);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Releases the lock by closing its session.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
