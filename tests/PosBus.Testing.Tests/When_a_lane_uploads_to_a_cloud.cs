using PosBus.Ledger;
using PosBus.Testing.Tests.App;

namespace PosBus.Testing.Tests;

public sealed class When_a_lane_uploads_to_a_cloud
{
    [Fact]
    public async Task The_fake_cloud_stores_it_once_after_an_outage_and_the_lane_sees_cloud_ack()
    {
        await using var cloud = await FakeCloud.StartAsync();
        cloud.FailNext(2);
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp().UseCloud(cloud.Url, cloud.Key));
        var adjustment = KitLanes.Adjustment(lane.TerminalId);

        await lane.SellAsync(adjustment);

        var acked = await lane.WaitForCloudAckAsync(adjustment.MessageId);
        Assert.Equal(LedgerStatus.CloudAck, acked.Status);
        var stored = cloud.Messages[adjustment.MessageId];
        Assert.Equal("inventory", stored.Topic);
        Assert.Equal(adjustment.Sku, stored.Data.GetProperty("sku").GetString());
        Assert.True(cloud.Requests >= 3, $"expected the two failed requests to be retried, saw {cloud.Requests} requests");
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_nothing_is_stored()
    {
        await using var cloud = await FakeCloud.StartAsync();
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp().UseCloud(cloud.Url, "not-the-key"));
        var adjustment = KitLanes.Adjustment(lane.TerminalId);

        await lane.SellAsync(adjustment);

        await Assert.ThrowsAsync<TimeoutException>(() => lane.WaitForCloudAckAsync(adjustment.MessageId, TimeSpan.FromSeconds(3)));
        Assert.True(cloud.Requests > 0);
        Assert.Empty(cloud.Messages);
    }

    [Fact]
    public async Task The_local_cloud_stores_it_exactly_once()
    {
        var cloud = LocalCloudClient.Find(); // test.sh starts the local cloud; a missing one is a failure here, not a skip
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l =>
        {
            l.AsTheApp().UseCloud(cloud.Url, cloud.ServiceKey);
            l.StoreId = $"kit-{Guid.NewGuid():N}"[..20];
        });
        var adjustment = KitLanes.Adjustment(lane.TerminalId);

        await lane.SellAsync(adjustment);

        await lane.WaitForCloudAckAsync(adjustment.MessageId);
        var row = await cloud.WaitForMessageAsync(adjustment.MessageId);
        Assert.Equal(lane.TerminalId, row.OriginTerminalId);
        Assert.Equal("inventory", row.Topic);
        Assert.Equal(1, await cloud.CountAsync(adjustment.MessageId));
    }
}
