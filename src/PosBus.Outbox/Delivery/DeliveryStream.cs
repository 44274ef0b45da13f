using Microsoft.Data.Sqlite;
using PosBus.Ledger;
using PosBus.Ledger.Stores;

namespace PosBus.Outbox.Delivery;

/// <summary>One ordered source of rows for local delivery: the own outbox, or the copies received from peers.</summary>
sealed class DeliveryStream(string name)
{
    public static DeliveryStream Outbox() => new(DeliveryStore.OutboxStream);

    public static DeliveryStream Replica() => new(DeliveryStore.ReplicaStream);

    /// <summary>Key in <c>delivery_checkpoint</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Delivered (handed to the bus) up to this sequence.</summary>
    public long Position { get; set; }

    public Task<List<LedgerRow>> ReadNextAsync(SqliteConnection connection, int max, CancellationToken cancellationToken) =>
        DeliveryStore.ReadAfterAsync(connection, Name, Position, max, cancellationToken);
}
