using System.Text.Json.Nodes;
using PosBus.Ledger;
using PosBus.Ledger.Stores;

namespace PosBus.Operations.Journey;

/// <summary>One lane's view of a message as JSON: whether it holds it (its own or a peer's copy), its state and times, its consumers.</summary>
public static class LaneMessageJson
{
    public static JsonObject From(string terminalId, LedgerMessage? message)
    {
        var json = new JsonObject { ["terminalId"] = terminalId, ["holds"] = message is null ? "none" : message.IsReplica ? "replica" : "own" };
        if (message is null)
        {
            return json;
        }

        json["status"] = message.Status;
        json["sequence"] = message.Sequence;
        json["origin"] = message.OriginTerminal;
        json["messageType"] = message.MessageType;
        json["topic"] = message.Topic;
        json["createdAt"] = LedgerTime.ToText(message.CreatedAt);
        json["receivedAt"] = LedgerTime.ToText(message.ReceivedAt);
        json["peerAckedAt"] = LedgerTime.ToText(message.PeerAckedAt);
        json["peerAckedBy"] = message.PeerAckedBy;
        json["cloudAckedAt"] = LedgerTime.ToText(message.CloudAckedAt);
        json["cloudAttempts"] = message.CloudAttempts;
        json["lastError"] = message.LastError;
        json["consumers"] = new JsonArray(message.Consumers
            .Select(c => (JsonNode)new JsonObject { ["consumer"] = c.Consumer, ["consumedAt"] = LedgerTime.ToText(c.ConsumedAt) })
            .ToArray());
        return json;
    }
}
