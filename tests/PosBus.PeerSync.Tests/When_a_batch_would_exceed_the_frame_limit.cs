using PosBus.PeerSync.Tests.Fixtures;

namespace PosBus.PeerSync.Tests;

/// <summary>
/// Regression (found by the hostile-input run): batches were sized in rows only, so BatchSize rows larger in total than
/// MaxFrameBytes made a frame the peer refused (1009) again and again, and the lane never synced.
/// </summary>
public sealed class When_a_batch_would_exceed_the_frame_limit
{
    [Fact]
    public async Task The_sender_splits_it_and_every_row_arrives()
    {
        // About 400 bytes a row: a full batch of 100 would be ~40 KB, ten times the limit.
        static void Small(Dictionary<string, string?> s) => s["PeerSync:MaxFrameBytes"] = "4096";
        await using var l1 = PeerTestLane.Create("L1", Small);
        await using var l2 = PeerTestLane.Create("L2", Small);
        l2.DialsTo(l1);
        await l1.StartAsync();
        await l2.StartAsync();

        await l2.WriteSalesAsync(300, perTransaction: 300);

        await PeerAssert.SyncedAsync(l2, l1);
        Assert.Equal(0, l1.Logs.Count(Microsoft.Extensions.Logging.LogLevel.Warning, "closed: 1009 "));
    }
}
