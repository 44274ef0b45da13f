using System.Text.Json;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// The local-delivery lease: one <c>lane_state</c> row naming the process that hands this database's ledger rows to
/// its consumers. Taking and renewing are one conditional upsert inside a write transaction, so two processes never
/// both believe they hold it. The row stays after its holder stops (expired): that a process with consumers has
/// delivered on this file is a fact retention needs (<see cref="HasEverBeenHeldAsync"/>).
/// </summary>
public sealed class DeliveryLeaseStore(LaneDatabase database)
{
    public const string StateKey = "delivery.lease";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Takes the lease when nobody holds it, when its holder is this process (a renewal), or when it has expired.
    const string TakeSql = """
        INSERT INTO lane_state (key, value, updated_at) VALUES ($key, $value, $now)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        WHERE json_extract(lane_state.value, '$.owner') = $owner OR json_extract(lane_state.value, '$.expiresAt') <= $now
        """;

    const string ReadSql = "SELECT value FROM lane_state WHERE key = $key";

    const string ReleaseSql = """
        UPDATE lane_state SET value = json_set(value, '$.expiresAt', $now), updated_at = $now
        WHERE key = $key AND json_extract(value, '$.owner') = $owner
        """;

    /// <summary>Takes or renews the lease for <paramref name="claim"/> until its expiry; returns whoever holds it afterwards.</summary>
    public async Task<DeliveryLeaseHolder> TryTakeAsync(DeliveryLeaseHolder claim, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        using (var take = Command(connection, transaction, TakeSql))
        {
            take.Parameters.AddWithValue("$value", JsonSerializer.Serialize(new Stored(claim.Owner, claim.Process, LedgerTime.ToText(claim.ExpiresAt)), Json));
            take.Parameters.AddWithValue("$owner", claim.Owner);
            take.Parameters.AddWithValue("$now", LedgerTime.ToText(now));
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var holder = await ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The delivery lease row vanished inside its own transaction.");
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return holder;
    }

    /// <summary>Ends <paramref name="owner"/>'s lease now (a clean stop), so that a standing-by process takes over at once.</summary>
    public async Task ReleaseAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        using (var release = Command(connection, transaction, ReleaseSql))
        {
            release.Parameters.AddWithValue("$owner", owner);
            release.Parameters.AddWithValue("$now", LedgerTime.ToText(now));
            await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current (possibly expired) holder, or null when no process has ever delivered on this database.</summary>
    public async Task<DeliveryLeaseHolder?> ReadAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a process with consumers has ever delivered on this database (then its rows wait for delivery).</summary>
    public async Task<bool> HasEverBeenHeldAsync(CancellationToken cancellationToken = default) => await ReadAsync(cancellationToken).ConfigureAwait(false) is not null;

    static async Task<DeliveryLeaseHolder?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var read = Command(connection, transaction, ReadSql);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text && JsonSerializer.Deserialize<Stored>(text, Json) is { } stored
            ? new DeliveryLeaseHolder(stored.Owner, stored.Process, LedgerTime.Parse(stored.ExpiresAt))
            : null;
    }

    static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", StateKey);
        return command;
    }

    // Times as ledger text, so that SQLite compares them in text order.
    sealed record Stored(string Owner, string Process, string ExpiresAt);
}
