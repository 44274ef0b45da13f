using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Small shared facts in <c>lane_state</c> (last cloud sync, its outcome, retention's last run, the schema version):
/// how a running lane tells its CLI and status readers what it did.
/// </summary>
public sealed class LaneStateStore(LaneDatabase database)
{
    /// <summary>The fact stored under <paramref name="key"/>, or null.</summary>
    public async Task<string?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await LaneStateCommands.ReadAsync(connection, null, key, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync(string key, string value, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var command = LaneStateCommands.Upsert(connection, null, at);
        LaneStateCommands.Bind(command, key, value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes several facts in one transaction, so a reader never sees half an outcome.</summary>
    public async Task WriteAllAsync(IReadOnlyDictionary<string, string> values, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        using var command = LaneStateCommands.Upsert(connection, transaction, at);
        foreach (var pair in values)
        {
            LaneStateCommands.Bind(command, pair.Key, pair.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Readiness: the database opens and answers a query on a ledger table. Throws when it cannot.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM lane_state";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
