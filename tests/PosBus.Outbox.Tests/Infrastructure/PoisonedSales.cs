using System.Collections.Concurrent;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>The sales <see cref="FlakySaleConsumer"/> throws for (until <see cref="Fix"/>, or for its first runs only), and how often it ran each sale.</summary>
public sealed class PoisonedSales
{
    readonly ConcurrentDictionary<Guid, int> _failuresLeft = new();
    readonly ConcurrentDictionary<Guid, int> _runs = new();

    public void Poison(Guid saleId, int failures = int.MaxValue) => _failuresLeft[saleId] = failures;

    public void Fix() => _failuresLeft.Clear();

    public int Runs(Guid saleId) => _runs.GetValueOrDefault(saleId);

    /// <summary>Counts a run; true when the consumer must throw.</summary>
    public bool Run(Guid saleId)
    {
        _runs.AddOrUpdate(saleId, 1, (_, n) => n + 1);
        return _failuresLeft.TryGetValue(saleId, out var left) && left > 0 && _failuresLeft.TryUpdate(saleId, left - 1, left);
    }
}
