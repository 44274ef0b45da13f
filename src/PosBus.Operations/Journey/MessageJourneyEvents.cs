using System.Text.Json.Nodes;
using PosBus.Ledger;

namespace PosBus.Operations.Journey;

/// <summary>
/// The journey's events in time order, from the lane views and the cloud row: who moved the message where, and when.
/// Each event is <c>{at, lane, event, by}</c>; <c>event</c> is one of committed, consumed, copied, peer_ack, stored,
/// cloud_ack, dead_letter.
/// </summary>
public static class MessageJourneyEvents
{
    public static JsonArray From(JsonObject own, JsonArray peers, JsonObject cloud)
    {
        var events = new List<(string At, JsonObject Event)>();
        foreach (var view in peers.OfType<JsonObject>().Select(p => p["lane"] as JsonObject).OfType<JsonObject>().Prepend(own))
        {
            AddLaneEvents(view, events);
        }

        if (Text(cloud, "receivedAt") is { } storedAt)
        {
            events.Add(Event(storedAt, "cloud", "stored", Text(cloud, "uploadedBy")));
        }

        return new JsonArray(events.OrderBy(e => e.At, StringComparer.Ordinal).Select(e => (JsonNode)e.Event).ToArray());
    }

    static void AddLaneEvents(JsonObject view, List<(string, JsonObject)> events)
    {
        var terminal = Text(view, "terminalId");
        var holds = Text(view, "holds");
        if (holds is null or "none")
        {
            return;
        }

        if (holds == "own")
        {
            Add(events, Text(view, "createdAt"), terminal, "committed", null);
            Add(events, Text(view, "peerAckedAt"), terminal, LedgerStatus.PeerAck, Text(view, "peerAckedBy"));
        }
        else
        {
            Add(events, Text(view, "receivedAt"), terminal, "copied", Text(view, "origin"));
        }

        var status = Text(view, "status");
        Add(events, Text(view, "cloudAckedAt"), terminal, status == LedgerStatus.DeadLetter ? LedgerStatus.DeadLetter : LedgerStatus.CloudAck, "cloud");
        foreach (var consumer in view["consumers"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            Add(events, Text(consumer, "consumedAt"), terminal, "consumed", Text(consumer, "consumer"));
        }
    }

    static void Add(List<(string, JsonObject)> events, string? at, string? lane, string what, string? by)
    {
        if (at is not null)
        {
            events.Add(Event(at, lane, what, by));
        }
    }

    static (string, JsonObject) Event(string at, string? lane, string what, string? by) =>
        (at, new JsonObject { ["at"] = at, ["lane"] = lane, ["event"] = what, ["by"] = by });

    static string? Text(JsonObject json, string key) => json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
