using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Outbox;
using PosBus.Testing.Tests.App;

namespace PosBus.Testing.Tests;

/// <summary>
/// Issue 15, hole 4: a message larger than a peer frame used to commit, then block its lane's peer stream for good
/// (refused, logged, resent forever). Publishing now refuses it inside the app's SaveChangesAsync, naming the smaller of
/// the limits that peers (<c>PeerSync:MaxFrameBytes</c>) and the cloud (<c>CloudSync:MaxRequestBytes</c>) set.
/// </summary>
public sealed class When_a_message_is_too_large_to_travel
{
    [Fact]
    public async Task A_2_MB_message_is_refused_at_publish_with_the_limit_named_and_nothing_is_committed()
    {
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp());
        var huge = KitLanes.Adjustment(lane.TerminalId) with { Sku = new string('x', 2 * 1024 * 1024) };

        var error = await Assert.ThrowsAsync<MessageTooLargeException>(() => lane.SaveAsync(async (db, publish) =>
        {
            db.Movements.Add(new AppliedMovement { MessageId = Guid.NewGuid(), Sku = "with-the-huge-message" });
            await publish.Publish(huge);
        }));

        Assert.Contains("PeerSync:MaxFrameBytes (1048576)", error.Message, StringComparison.Ordinal);
        Assert.Contains(huge.MessageId.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Null(await lane.FindMessageAsync(huge.MessageId));
        Assert.Equal(0, await lane.InScopeAsync<KitTillDbContext, int>(db => db.Movements.CountAsync()));

        // The next sale, in a new scope, is not affected.
        var next = KitLanes.Adjustment(lane.TerminalId);
        await lane.SellAsync(next);
        Assert.NotNull(await lane.FindMessageAsync(next.MessageId));
    }

    [Fact]
    public async Task The_smaller_limit_wins_and_is_the_one_named()
    {
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l =>
        {
            l.AsTheApp();
            l.Settings["PeerSync:MaxFrameBytes"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
            l.Settings["CloudSync:MaxRequestBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        var large = KitLanes.Adjustment(lane.TerminalId) with { Sku = new string('y', 2 * 1024 * 1024) };

        var error = await Assert.ThrowsAsync<MessageTooLargeException>(() => lane.SaveAsync((_, publish) => publish.Publish(large)));

        Assert.Contains("CloudSync:MaxRequestBytes (1048576)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PeerSync:MaxFrameBytes", error.Message, StringComparison.Ordinal);
        Assert.Null(await lane.FindMessageAsync(large.MessageId));
    }

    [Fact]
    public async Task A_message_just_under_the_limit_is_saved()
    {
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp());
        var big = KitLanes.Adjustment(lane.TerminalId) with { Sku = new string('z', 900 * 1024) };

        await lane.SellAsync(big);

        Assert.NotNull(await lane.FindMessageAsync(big.MessageId));
    }
}
