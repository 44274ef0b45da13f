using Microsoft.Data.Sqlite;
using PosBus.Outbox.Ledger;

namespace PosBus.Outbox.Delivery;

/// <summary>One ordered source of rows for local delivery: the own outbox, or the copies received from peers.</summary>
sealed class DeliveryStream(string name, string table, string sequenceColumn)
{
    public static DeliveryStream Outbox() => new("outbox", LedgerSchema.OutboxTable, "sequence");

    public static DeliveryStream Replica() => new("replica", LedgerSchema.ReplicaTable, "local_sequence");

    /// <summary>Key in <c>delivery_checkpoint</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Delivered (handed to the bus) up to this sequence.</summary>
    public long Position { get; set; }

    public async Task<List<LedgerRow>> ReadNextAsync(SqliteConnection connection, int max, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {sequenceColumn}, {LedgerRowReader.PayloadColumns} FROM {table} WHERE {sequenceColumn} > $after ORDER BY {sequenceColumn} LIMIT $max";
        command.Parameters.AddWithValue("$after", Position);
        command.Parameters.AddWithValue("$max", max);
        return await LedgerRowReader.ReadAllAsync(command, cancellationToken);
    }
}
