using System.Net.WebSockets;
using System.Text;
using PosBus.Ledger;
using PosBus.PeerSync.Protocol;
using PosBus.TestSupport;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// Generated hostile inputs for one WebSocket to a lane, each returning how many frames it sent. Before hello: random
/// bytes as text or binary, truncated and oversized JSON, fuzzed and wrongly typed fields, frames out of order, wrong
/// secret, another store, replayed hello. After a valid hello (an insider with the secret): out-of-order frames and
/// batches that must be refused whole (foreign origin, sequences not rising, broken rows).
/// </summary>
internal sealed class HostilePatterns(string storeId, string secret, int maxFrameBytes)
{
    public string Secret => secret;

    public delegate Task<int> Pattern(PeerRawClient connection, Random random, string terminalId, CancellationToken cancellationToken);

    public IReadOnlyList<(string Name, Pattern Run)> All =>
    [
        ("random text", async (c, r, _, ct) => { await c.SendBytesAsync(RandomBytes(r, 1, 2048), WebSocketMessageType.Text, ct); return 1; }),
        ("random binary", async (c, r, _, ct) => { await c.SendBytesAsync(RandomBytes(r, 1, 2048), WebSocketMessageType.Binary, ct); return 1; }),
        ("truncated hello", async (c, r, id, ct) => { await c.SendTextAsync(Truncate(r, Json(Hello(c, id, secret, c.ChallengeNonce))), ct); return 1; }),
        ("truncated batch", async (c, r, id, ct) => { await c.SendTextAsync(Truncate(r, Json(Batch(1, Row(id, 1)))), ct); return 1; }),
        ("oversized JSON", async (c, _, id, ct) => { await c.SendTextAsync(Oversized(id), ct); return 1; }),
        ("fuzzed hello", async (c, r, id, ct) => { await c.SendTextAsync(Fuzz(r, Json(Hello(c, id, secret, c.ChallengeNonce))), ct); return 1; }),
        ("frame before hello", async (c, r, id, ct) => { await c.SendFrameAsync(OutOfOrder(r, id), ct); return 1; }),
        ("wrong secret", async (c, r, id, ct) => { await c.SendFrameAsync(Hello(c, id, "not-the-store-secret-" + r.Next(), c.ChallengeNonce), ct); return 1; }),
        ("other store", async (c, _, id, ct) => { await c.SendFrameAsync(Hello(c, id, secret, c.ChallengeNonce, store: "other-store"), ct); return 1; }),
        ("hello signed for another nonce", async (c, _, id, ct) => { await c.SendFrameAsync(Hello(c, id, secret, PeerProof.NewNonce()), ct); return 1; }),
        ("insider: frame out of order", async (c, r, id, ct) => await AfterHelloAsync(c, id, OutOfOrder(r, id, afterHello: true), ct)),
        ("insider: rows of another lane", async (c, _, id, ct) => await AfterHelloAsync(c, id, Batch(1, Row(id, 1), Row("L2", 2)), ct)),
        ("insider: sequences not rising", async (c, r, id, ct) => await AfterHelloAsync(c, id, Batch(1, Row(id, r.Next(1, 100)), Row(id, -r.Next(0, 100))), ct)),
        ("insider: broken row", async (c, r, id, ct) => await AfterHelloAsync(c, id, BrokenBatch(r, id), ct)),
        ("insider: empty batch", async (c, _, id, ct) => await AfterHelloAsync(c, id, new PeerFrame { Type = PeerFrameTypes.Batch, BatchId = 1, Rows = [] }, ct)),
    ];

    /// <summary>A valid hello (so the lane authenticates the insider), then <paramref name="hostile"/> (a frame or raw text).</summary>
    async Task<int> AfterHelloAsync(PeerRawClient connection, string terminalId, object hostile, CancellationToken cancellationToken)
    {
        await connection.SendFrameAsync(Hello(connection, terminalId, secret, connection.ChallengeNonce), cancellationToken);
        if (await connection.ReceiveAsync(cancellationToken) is null)
        {
            return 1;
        }

        await (hostile is PeerFrame frame ? connection.SendFrameAsync(frame, cancellationToken) : connection.SendTextAsync((string)hostile, cancellationToken));
        return 2;
    }

    public PeerFrame Hello(PeerRawClient connection, string terminalId, string key, string signedNonce, string? store = null) =>
        connection.Hello(terminalId, store ?? storeId, key, signedNonce);

    static PeerFrame OutOfOrder(Random random, string terminalId, bool afterHello = false)
    {
        var types = afterHello
            ? new[] { PeerFrameTypes.Hello, PeerFrameTypes.Welcome, PeerFrameTypes.Ack, PeerFrameTypes.Challenge, PeerFrameTypes.Pong }
            : [PeerFrameTypes.Welcome, PeerFrameTypes.Ack, PeerFrameTypes.Challenge, PeerFrameTypes.Pong, PeerFrameTypes.Ping, PeerFrameTypes.Batch];
        var type = types[random.Next(types.Length)];
        return type == PeerFrameTypes.Batch
            ? Batch(1, Row(terminalId, 1))
            : new PeerFrame { Type = type, TerminalId = terminalId, StoreId = "x", ProtocolVersion = 1, Clock = DateTimeOffset.UtcNow, BatchId = 1, Through = 5, HeldThrough = 0 };
    }

    static string BrokenBatch(Random random, string terminalId)
    {
        var good = Json(Batch(1, Row(terminalId, 1)));
        return random.Next(4) switch
        {
            0 => good.Replace("\"body\":", "\"bodyX\":", StringComparison.Ordinal),
            1 => good.Replace("\"messageId\":\"", "\"messageId\":\"not-a-guid-", StringComparison.Ordinal),
            2 => good.Replace("\"sequence\":1", "\"sequence\":\"one\"", StringComparison.Ordinal),
            _ => good.Replace("\"rows\":[", "\"rows\":[null,", StringComparison.Ordinal),
        };
    }

    static PeerFrame Batch(long batchId, params LedgerRow[] rows) => new() { Type = PeerFrameTypes.Batch, BatchId = batchId, Rows = [.. rows] };

    static LedgerRow Row(string origin, long sequence)
    {
        var id = Guid.NewGuid();
        return new LedgerRow
        {
            Sequence = sequence,
            MessageId = id,
            OriginTerminal = origin,
            MessageType = "urn:message:PosBus.Contracts:SaleCompleted",
            Topic = "transaction",
            ContentType = "application/json",
            Body = $$"""{"saleId":"{{id}}","terminalId":"{{origin}}"}""",
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    string Oversized(string terminalId) => $$"""{"type":"hello","terminalId":"{{terminalId}}","pad":"{{new string('x', maxFrameBytes + 10)}}"}""";

    static string Json(PeerFrame frame) => System.Text.Json.JsonSerializer.Serialize(frame, PeerJsonContext.Default.PeerFrame);

    static string Truncate(Random random, string json) => json[..random.Next(1, json.Length - 1)];

    /// <summary>Replaces one value with something of another type or shape (number, string, null, object, array, huge number).</summary>
    static string Fuzz(Random random, string json)
    {
        string[] replacements = ["7", "\"x\"", "null", "{}", "[]", "1e999", "-1", "\"\\u0000\"", "true", "99999999999999999999"];
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        var at = colons[random.Next(colons.Count)] + 1;
        var end = at;
        var depth = 0;
        var inString = false;
        for (; end < json.Length; end++)
        {
            var ch = json[end];
            if (inString)
            {
                if (ch == '\\')
                {
                    end++;
                }
                else if (ch == '"')
                {
                    inString = false;
                }
            }
            else if (ch == '"')
            {
                inString = true;
            }
            else if (ch is '{' or '[')
            {
                depth++;
            }
            else if (ch is '}' or ']')
            {
                if (depth-- == 0)
                {
                    break;
                }
            }
            else if (ch == ',' && depth == 0)
            {
                break;
            }
        }

        return json[..at] + replacements[random.Next(replacements.Length)] + json[end..];
    }

    static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    public static string Describe(IReadOnlyDictionary<int, int> codes) =>
        string.Join(", ", codes.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
