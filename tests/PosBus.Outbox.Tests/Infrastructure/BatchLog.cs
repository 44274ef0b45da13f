using System.Collections.Concurrent;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>The message ids of every batch <see cref="BatchStockConsumer"/> was handed, per host.</summary>
public sealed class BatchLog
{
    readonly ConcurrentQueue<Guid[]> _batches = new();

    public void Add(Guid[] messageIds) => _batches.Enqueue(messageIds);

    public IReadOnlyList<Guid[]> Batches => [.. _batches];
}
