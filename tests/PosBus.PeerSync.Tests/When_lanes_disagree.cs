using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Status;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

public sealed class When_lanes_disagree
{
    [Fact]
    public async Task A_lane_with_the_wrong_secret_is_refused_and_nothing_is_written()
    {
        await using var l1 = PeerTestLane.Create("L1", s => s["PeerSync:StoreSecret"] = "a-different-store-secret!");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l2.StartAsync();
        await l1.StartAsync();
        await l1.WriteSalesAsync(5);

        // The sender registers its link when its background start runs, which may be after StartAsync returned (seen in CI).
        var state = l1.Services.GetRequiredService<PeerSyncState>();
        await PeerEventually.HoldsAsync(
            () => Task.FromResult(l2.Logs.Count(LogLevel.Warning, "closed: 4012 ") >= 2 &&
                state.Links.SingleOrDefault() is { } refused && (refused.LastError ?? "").Contains("4012", StringComparison.Ordinal)),
            PeerAssert.Patience, "L2 refused L1 twice and L1 knows why");
        var link = Assert.Single(state.Links);
        Assert.False(link.Connected);
        Assert.Equal(0, await PeerDb.ReplicaCountAsync(l2.Database));
        Assert.Equal(5, await PeerDb.PendingAsync(l1.Database));
    }

    [Fact]
    public async Task A_clock_skew_over_the_bound_is_logged_and_shown_in_status()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2", clock: new OffsetTimeProvider(TimeSpan.FromSeconds(30)));
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l2.StartAsync();
        await l1.WriteSalesAsync(3);
        await PeerAssert.SyncedAsync(l1, l2);

        var peer = Assert.Single((await l1.Status.ReadAsync()).Peers);
        Assert.True(peer.ClockSkewExceeded);
        Assert.InRange(peer.ClockSkewMs!.Value, 29_000, 31_000);
        Assert.Equal(1, l1.Logs.Count(LogLevel.Warning, "Clock skew with peer L2"));
        Assert.Equal(1, l2.Logs.Count(LogLevel.Warning, "Clock skew with peer L1"));
    }
}
