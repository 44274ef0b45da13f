using System.Diagnostics;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_another_process_writes_the_same_file
{
    [Fact]
    public async Task Its_rows_are_delivered_within_the_poll_interval()
    {
        using var database = new TempDatabase();
        var pollInterval = TimeSpan.FromMilliseconds(300);
        await using var lane = await LaneHost.StartAsync(database, o => o.PollInterval = pollInterval);
        // A second container on the same file: its commits cannot wake the lane's delivery loop.
        await using var otherProcess = await LaneHost.StartAsync(database, o => o.DeliveryEnabled = false);
        await lane.Harness.InactivityTask;

        var sale = await Sales.SaveAsync(otherProcess.Services);
        var committed = Stopwatch.StartNew();

        Assert.True(await lane.ConsumedAsync(sale.MessageId, TimeSpan.FromSeconds(5)));
        // Poll interval plus the consumer's own commit, with slack for a loaded 2-core test machine.
        Assert.True(committed.Elapsed < pollInterval + TimeSpan.FromSeconds(1), $"consumed after {committed.Elapsed}");
    }
}
