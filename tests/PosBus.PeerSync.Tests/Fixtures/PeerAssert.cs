using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>The property every sync test ends on: the origin's rows all acked, and each receiver holds exactly them, in order, byte for byte.</summary>
public static class PeerAssert
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task SyncedAsync(IPeerLaneFiles origin, params IPeerLaneFiles[] receivers)
    {
        var own = await PeerDb.OwnAsync(origin.Database);
        await PeerEventually.HoldsAsync(async () => await PeerDb.PendingAsync(origin.Database) == 0, Patience, $"{origin.TerminalId} has no pending rows");
        foreach (var receiver in receivers)
        {
            await PeerEventually.HoldsAsync(
                async () => (await PeerDb.ReplicasAsync(receiver.Database, origin.TerminalId)).Count >= own.Count,
                Patience, $"{receiver.TerminalId} holds {own.Count} copies from {origin.TerminalId}");
            var copies = await PeerDb.ReplicasAsync(receiver.Database, origin.TerminalId);
            Assert.Equal(own, copies);
        }
    }
}
