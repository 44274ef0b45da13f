using PosBus.PeerSync.Status;
using Microsoft.Extensions.DependencyInjection;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>L1 listening with small limits (64 KiB frames, 500 ms hello), and an honest L2 pushing to it the whole time.</summary>
public sealed class BadInputLanes : IAsyncLifetime
{
    public PeerTestLane L1 { get; } = PeerTestLane.Create("L1", s =>
    {
        s["PeerSync:MaxFrameBytes"] = "65536";
        s["PeerSync:HelloTimeoutMs"] = "500";
    });

    public PeerTestLane L2 { get; } = PeerTestLane.Create("L2");

    public async Task InitializeAsync()
    {
        L2.DialsTo(L1);
        await L1.StartAsync();
        await L2.StartAsync();
        await HonestPeerStillSyncsAsync();
    }

    /// <summary>A fresh sale on L2 reaches L1 (and L2's link is up, holding its terminal id).</summary>
    public async Task HonestPeerStillSyncsAsync()
    {
        await L2.WriteSalesAsync(1);
        await PeerAssert.SyncedAsync(L2, L1);
        await PeerEventually.HoldsAsync(() => Task.FromResult(L1.Services.GetRequiredService<PeerSyncState>().Inbound.Any(p => p.TerminalId == "L2")),
            PeerAssert.Patience, "L2 is connected to L1");
    }

    public async Task DisposeAsync()
    {
        await L2.DisposeAsync();
        await L1.DisposeAsync();
    }
}
