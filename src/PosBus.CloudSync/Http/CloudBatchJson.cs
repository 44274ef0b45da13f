using System.Buffers;
using System.Text.Json;
using PosBus.Ledger;

namespace PosBus.CloudSync.Http;

/// <summary>The function's wire format: writes a batch (bodies embedded raw, unchanged) and reads the per-message results.</summary>
public static class CloudBatchJson
{
    /// <summary>UTF-8 JSON of <paramref name="batch"/>. Throws <see cref="JsonException"/> when a body is not JSON.</summary>
    public static ReadOnlyMemory<byte> Write(CloudBatch batch)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + batch.Messages.Sum(m => m.Data.Length + 256));
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("terminalId", batch.TerminalId);
        json.WriteString("storeId", batch.StoreId);
        json.WriteStartArray("messages");
        foreach (var m in batch.Messages)
        {
            WriteMessage(json, m);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>Whether <paramref name="body"/> can travel as <c>data</c>: a JSON object.</summary>
    public static bool IsJsonObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static void WriteMessage(Utf8JsonWriter json, CloudMessage m)
    {
        json.WriteStartObject();
        json.WriteString("messageId", m.MessageId);
        json.WriteString("originTerminalId", m.OriginTerminalId);
        json.WriteString("topic", m.Topic);
        json.WritePropertyName("data");
        json.WriteRawValue(m.Data);
        json.WriteString("timestamp", LedgerTime.ToText(m.Timestamp));
        if (m.PeerAckedAt is { } peerAckedAt)
        {
            json.WriteString("peerAckedAt", LedgerTime.ToText(peerAckedAt));
        }
        else
        {
            json.WriteNull("peerAckedAt");
        }

        json.WriteEndObject();
    }

    /// <summary>Reads <c>{"results":[{"messageId","status","reason"?}]}</c>; throws <see cref="JsonException"/> on anything else.</summary>
    public static List<CloudMessageResult> ReadResults(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object ||
            !document.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The response has no 'results' array.");
        }

        var list = new List<CloudMessageResult>(results.GetArrayLength());
        foreach (var item in results.EnumerateArray())
        {
            // A result without a readable id cannot be matched to a row; that row is then treated as unanswered.
            if (!item.TryGetProperty("messageId", out var idElement) || idElement.ValueKind != JsonValueKind.String || !idElement.TryGetGuid(out var id))
            {
                continue;
            }

            var status = item.GetProperty("status").GetString() ?? throw new JsonException("A result has no status.");
            var reason = item.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            list.Add(new CloudMessageResult(id, status, reason));
        }

        return list;
    }
}
