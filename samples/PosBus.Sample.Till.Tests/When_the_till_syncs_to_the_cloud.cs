using PosBus.Sample.Till.Domain;
using PosBus.Testing;

namespace PosBus.Sample.Till.Tests;

public sealed class When_the_till_syncs_to_the_cloud
{
    [Fact]
    public async Task Every_message_of_a_sale_reaches_the_fake_cloud_through_an_outage()
    {
        await using var cloud = await FakeCloud.StartAsync();
        cloud.FailNext(1);
        await using var till = await TestLane.StartAsync<PosDbContext>(lane => lane.AsTheTill().UseCloud(cloud.Url, cloud.Key));

        await till.RingUpAsync(TillLanes.TwoItems());

        var committed = await till.CommittedMessagesAsync();
        foreach (var message in committed)
        {
            await till.WaitForCloudAckAsync(message.MessageId);
        }

        Assert.Equal(committed.Select(m => m.MessageId).Order(), cloud.Messages.Keys.Order());
        Assert.Single(cloud.Messages.Values, m => m.Topic == "transaction");
    }

    [Fact]
    public async Task The_sale_is_in_the_local_cloud_exactly_once()
    {
        var cloud = LocalCloudClient.Find();
        await using var till = await TestLane.StartAsync<PosDbContext>(lane =>
        {
            lane.AsTheTill().UseCloud(cloud.Url, cloud.ServiceKey);
            lane.StoreId = $"sample-{Guid.NewGuid():N}"[..20];
        });

        await till.RingUpAsync(TillLanes.TwoItems());

        var sale = Assert.Single(await till.CommittedMessagesAsync("transaction"));
        await till.WaitForCloudAckAsync(sale.MessageId);
        var row = await cloud.WaitForMessageAsync(sale.MessageId);
        Assert.Equal("transaction", row.Topic);
        Assert.Equal(1, await cloud.CountAsync(sale.MessageId));
    }
}
