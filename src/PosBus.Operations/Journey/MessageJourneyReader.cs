using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;

namespace PosBus.Operations.Journey;

/// <summary>
/// One message's whole journey as this lane can see it: its own ledger's view, each peer's (asked over HTTP) and the
/// cloud's row, plus a time-ordered list of events (committed, consumed, copied to a peer, peer-acked, stored in the
/// cloud, cloud-acked) with the lane or party that moved it. Messages can be found by receipt number too.
/// </summary>
public sealed class MessageJourneyReader(
    MessageLookupStore lookup,
    PeerMessageReader peers,
    IOptions<LaneOptions> lane,
    IServiceProvider services)
{
    /// <summary>The topic whose bodies carry <c>receiptNumber</c> (PosBus.Contracts' SaleCompleted).</summary>
    public const string SaleTopic = "transaction";

    /// <summary>This lane's view only (what peers answer each other).</summary>
    public async Task<JsonObject> ReadLaneAsync(Guid messageId, CancellationToken cancellationToken) =>
        LaneMessageJson.From(lane.Value.TerminalId, await lookup.FindAsync(messageId, cancellationToken).ConfigureAwait(false));

    /// <summary>The journey: <c>messageId</c>, <c>lane</c>, <c>peers</c>, <c>cloud</c> and <c>events</c>.</summary>
    public async Task<JsonObject> ReadAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var own = await ReadLaneAsync(messageId, cancellationToken).ConfigureAwait(false);
        var peerViews = await peers.ReadAsync(messageId, cancellationToken).ConfigureAwait(false);
        var cloudReader = services.GetService<CloudMessageReader>();
        var cloud = cloudReader is null
            ? new JsonObject { ["enabled"] = false }
            : await cloudReader.ReadAsync(messageId, lane.Value.StoreId, cancellationToken).ConfigureAwait(false);
        var journey = new JsonObject
        {
            ["messageId"] = messageId.ToString("D"),
            ["terminalId"] = lane.Value.TerminalId,
            ["lane"] = own,
            ["peers"] = peerViews,
            ["cloud"] = cloud,
        };
        journey["events"] = MessageJourneyEvents.From(own, peerViews, cloud);
        return journey;
    }

    /// <summary>Sale message ids (own or held for a peer) with this receipt number.</summary>
    public Task<IReadOnlyList<Guid>> FindByReceiptAsync(string receiptNumber, CancellationToken cancellationToken) =>
        lookup.FindByReceiptNumberAsync(receiptNumber, SaleTopic, cancellationToken);
}
