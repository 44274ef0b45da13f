using MassTransit;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Always fails, counting its runs: PosBus must leave a bus-only command to its endpoint's own retry policy.</summary>
public sealed class RefreshStockViewConsumer : IConsumer<RefreshStockView>
{
    static int _runs;

    public static int Runs => Volatile.Read(ref _runs);

    public Task Consume(ConsumeContext<RefreshStockView> context)
    {
        Interlocked.Increment(ref _runs);
        throw new InvalidOperationException("the stock view is offline");
    }
}
