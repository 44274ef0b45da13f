using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>
/// A message that never travels through the ledger (a <see cref="BusOnlyMessageType"/>, e.g. the cloud upload command)
/// keeps its endpoint's own retry policy: PosBus neither retries it nor turns it into a local dead letter.
/// </summary>
public sealed class When_a_bus_only_consumer_throws
{
    [Fact]
    public async Task It_faults_as_MassTransit_would_and_leaves_no_local_dead_letter()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database, o => o.ConsumerRetryInterval = TimeSpan.FromMilliseconds(10), x =>
        {
            x.AddSingleton(new BusOnlyMessageType(typeof(RefreshStockView)));
            x.AddConsumer<RefreshStockViewConsumer>();
        });

        await lane.Harness.Bus.Publish(new RefreshStockView(Guid.NewGuid()));

        Assert.True(await lane.Harness.Published.Any<Fault<RefreshStockView>>());
        Assert.Equal(1, RefreshStockViewConsumer.Runs);
        Assert.Empty(await lane.Services.GetRequiredService<ConsumerDeadLetterStore>().ListAsync(ConsumerDeadLetterStore.AnyConsumer));
    }
}
