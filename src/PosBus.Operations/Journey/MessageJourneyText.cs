using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PosBus.Operations.Journey;

/// <summary>A journey (<see cref="MessageJourneyReader.ReadAsync"/>) as a table for a terminal: events in time order, then where each copy stands.</summary>
public static class MessageJourneyText
{
    public static string Render(JsonObject journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var text = new StringBuilder();
        var own = journey["lane"] as JsonObject;
        var known = (own is not null && Text(own, "holds") != "none" ? own : null)
            ?? journey["peers"]?.AsArray().Select(p => p?["lane"] as JsonObject).FirstOrDefault(l => l is not null && Text(l, "holds") != "none");
        text.Append(CultureInfo.InvariantCulture, $"message {Text(journey, "messageId")}");
        if (known is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $": {ShortType(Text(known, "messageType"))} ({Text(known, "topic")}), origin {Text(known, "origin")}");
        }

        text.AppendLine();
        var events = journey["events"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        if (events.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {"at (UTC)",-28} {"lane",-8} {"event",-12} by");
            foreach (var e in events)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Text(e, "at"),-28} {Text(e, "lane"),-8} {Text(e, "event"),-12} {Text(e, "by")}");
            }
        }

        text.AppendLine("now:");
        if (own is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Describe(own)} (this lane)");
        }

        foreach (var peer in journey["peers"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            text.AppendLine(peer["lane"] is JsonObject view
                ? $"  {Describe(view)}"
                : $"  peer {Text(peer, "url")}: {(peer["reachable"]?.GetValue<bool>() == true ? "" : "unreachable: ")}{Text(peer, "error")}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  cloud: {DescribeCloud(journey["cloud"] as JsonObject)}");
        return text.ToString();
    }

    static string Describe(JsonObject view)
    {
        var holds = Text(view, "holds");
        if (holds is null or "none")
        {
            return $"{Text(view, "terminalId")}: no copy";
        }

        var error = Text(view, "lastError") is { } e ? $", last error: {e}" : "";
        var consumers = view["consumers"]?.AsArray().Count ?? 0;
        return $"{Text(view, "terminalId")}: {holds} copy, {Text(view, "status")}, {consumers} consumer(s) applied it{error}";
    }

    static string DescribeCloud(JsonObject? cloud) =>
        cloud is null || cloud["enabled"]?.GetValue<bool>() != true ? "not configured here"
        : Text(cloud, "error") is { } error ? $"not asked: {error}"
        : cloud["found"]?.GetValue<bool>() == true ? $"stored at {Text(cloud, "receivedAt")} in store {Text(cloud, "storeId")}, uploaded by {Text(cloud, "uploadedBy")}"
        : "not there (yet)";

    static string ShortType(string? messageType) =>
        messageType is null ? "?" : messageType.Split(':', '.').Last(p => p.Length > 0);

    static string? Text(JsonObject json, string key) => json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
