using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PosBus.Ledger;
using PosBus.Ledger.Stores;

namespace PosBus.Operations.Status;

/// <summary>One status snapshot, as JSON for machines and as a few lines for a person at a terminal.</summary>
public sealed record LaneStatusReport(JsonObject Status)
{
    public JsonObject ToJson() => Status;

    public string ToText()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"lane {Status["terminalId"]} (store {Status["storeId"]}) — {Status["database"]}");
        foreach (var state in new[] { LedgerStatus.Pending, LedgerStatus.PeerAck, LedgerStatus.CloudAck, LedgerStatus.DeadLetter })
        {
            text.AppendLine(culture, $"  {state,-11} {Status["counts"]?[state]?.GetValue<long>() ?? 0,10}");
        }

        var age = Status["oldestNotCloudAckedAgeSeconds"]?.GetValue<double>();
        text.AppendLine(age is { } a ? $"  oldest message not in the cloud: {a.ToString("0.0", culture)} s" : "  every message is in the cloud");
        foreach (var (key, value) in Status)
        {
            if (value is JsonObject or JsonArray && key != "counts")
            {
                text.AppendLine(culture, $"  {key}: {value.ToJsonString()}");
            }
        }

        return text.ToString();
    }
}
