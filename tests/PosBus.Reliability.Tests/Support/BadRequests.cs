using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// Generated bad requests for the sync-pos-message function. Every one carries messages that would be written if the
/// function accepted them, so "nothing written" is a real check: wrong or missing keys, wrong methods, broken or
/// wrongly shaped bodies, batches whose every message is invalid, and batches over the size limit.
/// </summary>
internal sealed class BadRequests(Uri functionUrl, string serviceKey)
{
    public sealed record Request(string Kind, HttpRequestMessage Message, IReadOnlyList<Guid> MessageIds, int[] Expected);

    static readonly string[] Kinds =
    [
        "wrong key", "no key", "key prefix", "wrong bearer", "wrong method", "random bytes", "truncated JSON",
        "wrong shape", "every message invalid", "text/plain garbage",
    ];

    public Request Next(Random random)
    {
        var messages = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Sale("L1")).ToArray();
        var ids = messages.Select(Id).ToList();
        var batch = Batch("L1", messages).ToJsonString();
        var kind = random.Next(100) == 0 ? "over the message limit" : Kinds[random.Next(Kinds.Length)];
        return kind switch
        {
            "wrong key" => Post(kind, batch, ids, [401], "sb_secret_" + Guid.NewGuid().ToString("N")),
            "no key" => Post(kind, batch, ids, [401], null),
            "key prefix" => Post(kind, batch, ids, [401], serviceKey[..random.Next(0, serviceKey.Length)]),
            "wrong bearer" => WithBearer(Post(kind, batch, ids, [401], null), "eyJ" + Guid.NewGuid().ToString("N")),
            "wrong method" => WithMethod(Post(kind, batch, ids, [405], serviceKey), new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch }[random.Next(4)]),
            "random bytes" => Post(kind, RandomBytes(random), ids, [400], serviceKey),
            "truncated JSON" => Post(kind, batch[..random.Next(1, batch.Length - 1)], ids, [400], serviceKey),
            "wrong shape" => Post(kind, WrongShape(random, messages), ids, [400], serviceKey),
            "every message invalid" => Post(kind, EveryMessageInvalid(random, messages), ids, [200], serviceKey),
            "text/plain garbage" => WithContentType(Post(kind, RandomBytes(random), ids, [400, 415], serviceKey), "text/plain"),
            _ => OverLimit(kind),
        };
    }

    Request OverLimit(string kind)
    {
        var messages = Enumerable.Range(0, 1001).Select(_ => Inventory("L1", "SKU-X", -1)).ToArray();
        return Post(kind, Batch("L1", messages).ToJsonString(), messages.Select(Id).ToList(), [413], serviceKey);
    }

    Request Post(string kind, object body, IReadOnlyList<Guid> ids, int[] expected, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, functionUrl)
        {
            Content = body is byte[] bytes ? new ByteArrayContent(bytes) : new StringContent((string)body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (key is not null)
        {
            request.Headers.Add("apikey", key);
        }

        return new Request(kind, request, ids, expected);
    }

    static Request WithBearer(Request request, string token)
    {
        request.Message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    static Request WithMethod(Request request, HttpMethod method)
    {
        request.Message.Method = method;
        if (method == HttpMethod.Get)
        {
            request.Message.Content = null;
        }

        return request;
    }

    static Request WithContentType(Request request, string contentType)
    {
        request.Message.Content!.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return request;
    }

    static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 8192)];
        random.NextBytes(bytes);
        return bytes;
    }

    static string WrongShape(Random random, JsonObject[] messages) => random.Next(6) switch
    {
        0 => new JsonArray(messages.Select(m => (JsonNode)m.DeepClone()).ToArray()).ToJsonString(),
        1 => "\"hello\"",
        2 => "null",
        3 => new JsonObject { ["terminalId"] = "L1", ["messages"] = messages[0].DeepClone() }.ToJsonString(),
        4 => new JsonObject { ["terminalId"] = 7, ["messages"] = new JsonArray(messages.Select(m => (JsonNode)m.DeepClone()).ToArray()) }.ToJsonString(),
        _ => new JsonObject { ["messages"] = new JsonArray(messages.Select(m => (JsonNode)m.DeepClone()).ToArray()) }.ToJsonString(),
    };

    /// <summary>A well-formed batch in which each message has one flaw the function must catch before its transaction.</summary>
    static string EveryMessageInvalid(Random random, JsonObject[] messages)
    {
        const string Lone = "LONE_SURROGATE";
        foreach (var message in messages)
        {
            var data = Data(message);
            switch (random.Next(9))
            {
                case 0: data["cashierId"] = "cash\0ier"; break;
                case 1: data["receiptNumber"] = Lone; break;
                case 2: data["saleId"] = "not-a-uuid"; break;
                case 3: data["subtotalMinor"] = 9_007_199_254_740_993L; data["totalMinor"] = 9_007_199_254_740_993L; break;
                case 4: message["topic"] = "pay roll"; break; // malformed (a well-formed unknown topic is stored raw)
                case 5: data["totalMinor"] = 600; break;
                case 6: data["occurredAt"] = "2026-02-30T10:00:00.0000000Z"; break;
                case 7: data.Remove("currency"); break;
                default: data["lines"]![0]!["quantity"] = 1.5; break;
            }
        }

        // A lone surrogate cannot be built as a valid .NET JSON string; its escape is written by hand.
        return Batch("L1", messages).ToJsonString().Replace(Lone, "\\ud800", StringComparison.Ordinal);
    }
}
